// Progressive enhancement only: every page works without this file.
// "Use my location" fills the latitude/longitude fields of the market finder.
// Refused, unavailable or timed out: the form's [data-locate-status] says so (data-refused).
document.addEventListener("click", function (e) {
  var b = e.target.closest("[data-locate]");
  if (!b) return;
  var f = b.form, status = f.querySelector("[data-locate-status]");
  function refused() {
    b.disabled = false;
    if (status) status.textContent = status.getAttribute("data-refused");
    var point = f.querySelector("details#point");
    if (point) point.open = true;
  }
  e.preventDefault();
  if (!navigator.geolocation) { refused(); return; }
  b.disabled = true;
  if (status) status.textContent = status.getAttribute("data-waiting") || "";
  navigator.geolocation.getCurrentPosition(function (p) {
    f.elements.lat.value = p.coords.latitude.toFixed(5);
    f.elements.lng.value = p.coords.longitude.toFixed(5);
    var quote = f.querySelector("button[value=quote]");
    if (quote && f.requestSubmit) f.requestSubmit(quote); else f.submit();
  }, refused, { timeout: 10000 });
});

// A <details> opened near the bottom shows its last button above the sticky bar (scroll-padding-bottom).
document.addEventListener("toggle", function (e) {
  var d = e.target;
  if (!(d instanceof HTMLDetailsElement) || !d.open) return;
  var buttons = d.querySelectorAll("button");
  if (buttons.length) buttons[buttons.length - 1].scrollIntoView({ block: "nearest" });
}, true);
