// Small enhancements that work without a build step; every page still works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Long choice lists (regions, departments, officials) become searchable selects.
  if (window.TomSelect) {
    document.querySelectorAll("select[data-searchable]").forEach((select) => {
      new TomSelect(select, { maxOptions: 500, allowEmptyOption: true, plugins: select.multiple ? ["remove_button"] : [] });
    });
  }
});
