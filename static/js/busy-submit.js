// Forms that take a while to answer (an upload, a confirmed import): once sent, the submit button is disabled,
// says what is happening (its data-busy-text) beside a spinner, and the form is marked busy, so a second click
// sends nothing twice. The browser may bring the page back from its cache (the Back button): the button is then
// enabled again with its own text.
(function () {
  "use strict";
  const forms = document.querySelectorAll("form[data-busy-form]");
  const restore = () => {
    forms.forEach((form) => {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[data-busy-text]").forEach((button) => {
        if (button.dataset.idleHtml === undefined) return;
        button.innerHTML = button.dataset.idleHtml;
        delete button.dataset.idleHtml;
        button.disabled = false;
      });
    });
  };
  forms.forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.getAttribute("aria-busy") === "true") {
        event.preventDefault();
        return;
      }
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll("button[data-busy-text]").forEach((button) => {
        button.dataset.idleHtml = button.innerHTML;
        const spinner = document.createElement("span");
        spinner.className = "spinner-border spinner-border-sm me-1";
        spinner.setAttribute("aria-hidden", "true");
        button.replaceChildren(spinner, document.createTextNode(button.dataset.busyText));
        // Disabled after the browser has taken the form's data: a disabled button sends no value.
        window.setTimeout(() => {
          button.disabled = true;
        }, 0);
      });
    });
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) restore();
  });
})();
