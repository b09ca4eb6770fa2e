// Small enhancements that work without a build step; every page still works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Long choice lists (regions, departments, officials) become searchable selects.
  if (window.TomSelect) {
    // Tom Select hides the original <select> (it stays for the form) and moves its <label for> to its own
    // input: the hidden one keeps the label's name and leaves the accessibility tree, so a screen reader
    // meets one control, named.
    const keepName = (select) => {
      const labelledBy = select.tomselect.control_input.getAttribute("aria-labelledby");
      if (labelledBy) select.setAttribute("aria-labelledby", labelledBy);
      select.setAttribute("aria-hidden", "true");
    };
    document.querySelectorAll("select[data-searchable]").forEach((select) => {
      new TomSelect(select, { maxOptions: 500, allowEmptyOption: true, plugins: select.multiple ? ["remove_button"] : [] });
      keepName(select);
    });
    // Autocomplete: options come from a JSON endpoint fenced to the user's region.
    document.querySelectorAll("select[data-autocomplete-url]").forEach((select) => {
      const url = select.dataset.autocompleteUrl;
      new TomSelect(select, {
        valueField: "value",
        labelField: "text",
        searchField: ["text"],
        allowEmptyOption: true,
        preload: "focus",
        plugins: select.multiple ? ["remove_button"] : [],
        load(query, callback) {
          const separator = url.includes("?") ? "&" : "?";
          fetch(`${url}${separator}q=${encodeURIComponent(query)}`, { credentials: "same-origin" })
            .then((response) => response.json())
            .then((json) => callback(json.results))
            .catch(() => callback());
        },
      });
      keepName(select);
    });
  }
  // A field the browser refuses (required and empty, a malformed e-mail…) says so next to itself, in the
  // page, as the server's own errors do, and the first one takes the focus. The browser's bubble cannot
  // point at a searchable select, whose <select> is hidden under Tom Select: without this, submitting a
  // form whose only missing field is one did nothing visible at all.
  const requiredMessage = document.body.dataset.requiredMessage;
  const feedbackAnchor = (control) => {
    if (control.tomselect) return control.tomselect.wrapper;
    if (control.type === "radio" || control.type === "checkbox") {
      const group = control.form ? control.form.querySelectorAll(`[name="${CSS.escape(control.name)}"]`) : [control];
      const last = group[group.length - 1];
      return last.closest(".form-check") || last;
    }
    return control.closest(".input-group") || control;
  };
  const feedbackOf = (control) => {
    const next = feedbackAnchor(control).nextElementSibling;
    return next && next.hasAttribute("data-client-feedback") ? next : null;
  };
  const focusTarget = (control) => (control.tomselect ? control.tomselect.control_input : control);
  let focusTaken = false;
  document.addEventListener("invalid", (event) => {
    const control = event.target;
    event.preventDefault(); // the message below replaces the bubble, for every field alike
    const folded = control.closest("details:not([open])");
    if (folded) folded.open = true;
    let feedback = feedbackOf(control);
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.className = "invalid-feedback d-block";
      feedback.id = `${control.id || control.name}-client-feedback`;
      feedback.setAttribute("data-client-feedback", "");
      feedbackAnchor(control).after(feedback);
    }
    feedback.textContent = control.validity.valueMissing && requiredMessage ? requiredMessage : control.validationMessage;
    (control.tomselect ? control.tomselect.wrapper : control).classList.add("is-invalid");
    const target = focusTarget(control);
    target.setAttribute("aria-invalid", "true");
    const described = (target.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!described.includes(feedback.id)) target.setAttribute("aria-describedby", [...described, feedback.id].join(" "));
    if (!focusTaken) {
      focusTaken = true; // one submit fires "invalid" on each refused field in turn: focus the first
      target.focus();
      window.setTimeout(() => { focusTaken = false; });
    }
  }, true);
  const clearInvalid = (event) => {
    const control = event.target;
    if (!control.validity || !control.validity.valid) return;
    const feedback = feedbackOf(control);
    if (!feedback) return;
    feedback.remove();
    const group = control.type === "radio" && control.form ? control.form.querySelectorAll(`[name="${CSS.escape(control.name)}"]`) : [control];
    group.forEach((member) => {
      (member.tomselect ? member.tomselect.wrapper : member).classList.remove("is-invalid");
      const target = focusTarget(member);
      target.removeAttribute("aria-invalid");
      const described = (target.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== feedback.id);
      if (described.length) target.setAttribute("aria-describedby", described.join(" "));
      else target.removeAttribute("aria-describedby");
    });
  };
  document.addEventListener("input", clearInvalid, true);
  document.addEventListener("change", clearInvalid, true);
  // Markup says what a control does; no page carries an inline handler (the Content-Security-Policy runs
  // none): a print button prints, the language select sends its form when changed.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // "Select all" checkboxes of list pages with bulk actions.
  document.querySelectorAll("[data-select-all]").forEach((master) => {
    master.addEventListener("change", () => {
      document.querySelectorAll(master.dataset.selectAll).forEach((box) => { box.checked = master.checked; });
    });
  });
  // The visit form: when the enterprise changes, list the policies that fit it first.
  const policies = document.querySelector("[data-suggestions-url]");
  const enterprise = document.querySelector("form.visit-form select[name=enterprise]");
  if (policies && enterprise) {
    const suggested = policies.querySelector("[data-suggested-policies]");
    const others = policies.querySelector("[data-other-policies]");
    enterprise.addEventListener("change", () => {
      if (!enterprise.value) return;
      fetch(`${policies.dataset.suggestionsUrl}?enterprise=${encodeURIComponent(enterprise.value)}`, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((json) => {
          const fitting = new Set(json.results.map((row) => String(row.value)));
          policies.querySelectorAll("[data-policy]").forEach((item) => {
            const fits = fitting.has(item.dataset.policy);
            item.querySelector("[data-suggested-badge]").hidden = !fits;
            (fits ? suggested : others).appendChild(item);
          });
          policies.querySelector("[data-suggestions-hint]").hidden = fitting.size > 0;
        })
        .catch(() => {});
    });
  }
  // A page that waits on a background job (an import) asks for itself every few seconds and reloads
  // only once the job's status has changed: nothing moves under the reader meanwhile (no meta refresh).
  // Its requests say they are background polling, which does not keep the reader signed in.
  const watched = document.querySelector("[data-watch-status]");
  if (watched) {
    const poll = () =>
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html", "X-Background-Poll": "1" } })
        .then((response) => (response.ok ? response.text() : ""))
        .then((html) => {
          const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-watch-status]");
          if (fresh && fresh.textContent.trim() !== watched.textContent.trim()) window.location.reload();
          else window.setTimeout(poll, 3000);
        })
        .catch(() => window.setTimeout(poll, 3000));
    window.setTimeout(poll, 3000);
  }
});
