// KPI pages: the period picker submits on change, and the Print button prints (no inline handlers: CSP).
(function () {
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) { event.target.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
