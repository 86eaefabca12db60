// Scorecard template editor: "Add criterion" clones the formset's empty row (no inline script: CSP).
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) { return; }
    var prefix = button.dataset.addRow;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-row");
    var body = document.getElementById(prefix + "-rows");
    var index = parseInt(total.value, 10);
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll("[name], [id], [for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        if (el.hasAttribute(attr)) { el.setAttribute(attr, el.getAttribute(attr).replace(/__prefix__/g, index)); }
      });
    });
    var previous = body.querySelector("tr:last-child [name$='-section']");
    var section = row.querySelector("[name$='-section']");
    if (previous && section) { section.value = previous.value; }
    body.appendChild(row);
    total.value = index + 1;
    row.querySelector("[name$='-label']").focus();
  });
})();
