// The scheme form's hint: what the weights of the kept rows add up to. The server's check is what counts.
(function () {
  "use strict";
  var form = document.querySelector("[data-scheme-form]");
  if (!form) return;
  var hint = form.querySelector("[data-weight-total]");
  function update() {
    var total = 0;
    form.querySelectorAll("[data-item-form]").forEach(function (row) {
      var removed = row.querySelector("input[type=checkbox][name$='-DELETE']");
      var weight = row.querySelector("[data-weight]");
      if (removed && removed.checked) return;
      var value = parseFloat(weight && weight.value);
      if (!isNaN(value)) total += value;
    });
    total = Math.round(total * 100) / 100;
    hint.textContent = (hint.dataset.label || "Σ") + " " + total + " / 100";
    hint.className = "small badge " + (total === 100 ? "text-bg-success" : "text-bg-warning");
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
