// Small enhancements that work without a build step; every page still works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Long choice lists (regions, departments, officials) become searchable selects.
  if (window.TomSelect) {
    document.querySelectorAll("select[data-searchable]").forEach((select) => {
      new TomSelect(select, { maxOptions: 500, allowEmptyOption: true, plugins: select.multiple ? ["remove_button"] : [] });
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
    });
  }
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
  const watched = document.querySelector("[data-watch-status]");
  if (watched) {
    const poll = () =>
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
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
