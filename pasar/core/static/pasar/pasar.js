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

// "Print" buttons (PIN tables, the day's settlement): no inline handlers, the Content-Security-Policy forbids them.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) window.print();
});

// A <details> opened near the bottom shows its last button above the sticky bar (scroll-padding-bottom).
document.addEventListener("toggle", function (e) {
  var d = e.target;
  if (!(d instanceof HTMLDetailsElement) || !d.open) return;
  var buttons = d.querySelectorAll("button");
  if (buttons.length) buttons[buttons.length - 1].scrollIntoView({ block: "nearest" });
}, true);

// Installable, offline-tolerant pages (trader, courier): the service worker caches them network-first.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js").catch(function () {}); });
}

// Writes made without signal. A form with [data-offline-queue] is sent by fetch with a client-made key
// (X-Idempotency-Key) and only the rows that changed (partial=1, with was-price-<id> as read), so two
// queued saves never overwrite each other and a price changed elsewhere is reported, not overwritten.
// Without signal the write waits in localStorage ("tersimpan, dikirim nanti") and is replayed once when
// signal returns, even after the tab was closed; the server applies a key once.
(function () {
  var STORE = "pasar-queue";
  function queue() { try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(STORE, JSON.stringify(items)); }
  function status(text) {
    var el = document.getElementById("queue-status");
    if (el && text) { el.textContent = text; el.hidden = false; }
  }
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function key() {
    return window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }
  function changedRows(form) {
    var body = new URLSearchParams(), rows = 0;
    form.querySelectorAll("input[name^=price-]").forEach(function (price) {
      var id = price.name.slice(6), row = price.closest("tr") || form;
      var avail = row.querySelector("input[name=available-" + id + "]");
      var stock = row.querySelector("input[name=stock-" + id + "]");
      var changed = price.value !== price.defaultValue || (avail && avail.checked !== avail.defaultChecked) ||
        (stock && stock.value !== stock.defaultValue);
      if (!changed) return;
      rows += 1;
      body.append(price.name, price.value);
      body.append("was-" + price.name, price.defaultValue);
      if (avail && avail.checked) body.append(avail.name, "on");
      if (stock) body.append(stock.name, stock.value);
      price.defaultValue = price.value;  // the next save sends only what changes after this one
      if (avail) avail.defaultChecked = avail.checked;
      if (stock) stock.defaultValue = stock.value;
    });
    body.append("partial", "1");
    return rows ? body.toString() : null;
  }
  function send(item) {
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", redirect: "manual",  // the page's messages stay for the reload
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Idempotency-Key": item.key, "X-CSRFToken": csrf() },
      body: item.body,
    });
  }
  var flushing = false;
  function flush() {
    var items = queue();
    if (flushing || !items.length || !navigator.onLine) return Promise.resolve(false);
    flushing = true;
    var sent = 0, page = null;
    function next() {
      var items = queue();
      if (!items.length) return Promise.resolve();
      return send(items[0]).then(function (response) {
        if (response.status >= 500) throw new Error("server");
        save(queue().filter(function (i) { return i.key !== items[0].key; }));  // applied (or refused): once
        sent += 1;
        if (response.type === "opaqueredirect") { page = null; return next(); }
        return response.text().then(function (html) { page = html; return next(); });  // refused: field errors
      });
    }
    return next().then(function () {
      flushing = false;
      if (page) {  // the server's page with the field errors, as a plain form post would show it
        var doc = new DOMParser().parseFromString(page, "text/html");
        document.querySelector("main").replaceWith(doc.querySelector("main"));
      } else if (sent) location.reload();
      return true;
    },
      function () { flushing = false; var form = document.querySelector("[data-offline-queue]");
        status(form && form.getAttribute("data-queued")); return false; });
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !form.matches("[data-offline-queue]")) return;
    e.preventDefault();
    var body = changedRows(form);
    if (!body) { status(form.getAttribute("data-nothing")); return; }
    var items = queue();
    items.push({ key: key(), url: form.action || location.pathname, body: body, at: Date.now() });
    save(items);
    status(form.getAttribute("data-queued"));
    flush();
  });
  window.addEventListener("online", flush);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush); else flush();
  window.pasarQueue = { items: queue, flush: flush };
})();
