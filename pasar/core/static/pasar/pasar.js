// Progressive enhancement only: every page works without this file.
// "Use my location" fills the latitude/longitude fields of the market finder.
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-locate]");
  if (!b || !navigator.geolocation) return;
  e.preventDefault();
  var f = b.form;
  b.disabled = true;
  navigator.geolocation.getCurrentPosition(function (p) {
    f.elements.lat.value = p.coords.latitude.toFixed(5);
    f.elements.lng.value = p.coords.longitude.toFixed(5);
    f.submit();
  }, function () { b.disabled = false; }, { timeout: 10000 });
});

// "Print" buttons (PIN tables, the day's settlement): no inline handlers, the Content-Security-Policy forbids them.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) window.print();
});
