// Copy buttons: <button data-copy-target="ID" data-copy-status="ID" data-copied="…" data-select="…"> copies the
// value of the field named by data-copy-target and says so in the live region named by data-copy-status.
// Where the clipboard cannot be written (a page served over plain http, an old browser), the text is
// selected for the device's own copy command, and the live region says that instead.
(() => {
  function selectText(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length); // iOS selects nothing with select() alone
  }

  function copyBySelection(field) {
    selectText(field);
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }

  async function copy(button) {
    const field = document.getElementById(button.dataset.copyTarget);
    const status = document.getElementById(button.dataset.copyStatus);
    if (!field) return;
    let copied = false;
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(field.value);
        copied = true;
      } catch {
        copied = false;
      }
    }
    if (!copied) copied = copyBySelection(field);
    if (status) {
      // Emptied first, so that a second click is announced again.
      status.textContent = "";
      window.setTimeout(() => {
        status.textContent = copied ? button.dataset.copied : button.dataset.select;
      }, 50);
    }
    button.dataset.copyResult = copied ? "copied" : "selected";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("button[data-copy-target]").forEach((button) => {
      button.addEventListener("click", () => copy(button));
    });
  });
})();
