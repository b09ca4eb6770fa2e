// The review form: "Add a practice" adds an empty practice row in place instead of saving the draft
// and reloading. Without JavaScript the button saves and the page comes back with an empty row.
document.addEventListener("DOMContentLoaded", () => {
  const container = document.querySelector("[data-practice-forms]");
  if (!container) return;
  const template = container.querySelector("template[data-empty-practice-form]");
  const button = container.querySelector("[data-add-practice]");
  const total = container.querySelector("input[name$='-TOTAL_FORMS']");
  const maximum = container.querySelector("input[name$='-MAX_NUM_FORMS']");
  button.addEventListener("click", (event) => {
    event.preventDefault();
    const index = Number(total.value);
    if (maximum && index >= Number(maximum.value)) return;
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    template.insertAdjacentHTML("beforebegin", html);
    total.value = String(index + 1);
    const fields = container.querySelectorAll("[data-practice-form]");
    fields[fields.length - 1].querySelector("input, select, textarea")?.focus();
  });
});
