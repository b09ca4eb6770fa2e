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
});
