// The issued link's page: a button marked data-print prints it as the letter handed over on a visit.
(() => {
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("button[data-print]").forEach((button) => {
      button.addEventListener("click", () => window.print());
    });
  });
})();
