// Pasar Daring service worker (hand-written, no framework): the app shell cached on install, the
// trader's and courier's pages network-first (the cached copy when there is no signal). Writes are not
// handled here: pasar.js queues them with an idempotency key and replays them when signal returns.
const VERSION = "{{ version }}";
const SHELL = "shell-" + VERSION;
const PAGES = "pages-" + VERSION;
const SHELL_URLS = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const OFFLINE_PAGES = [{% for prefix in prefixes %}"{{ prefix|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_URLS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== PAGES).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // writes go to the network (or pasar.js's queue)
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (SHELL_URLS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  const page = request.mode === "navigate" && OFFLINE_PAGES.some((p) => url.pathname.startsWith(p));
  if (!page || request.headers.get("HX-Request")) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(PAGES).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request).then((hit) => hit || caches.match(OFFLINE_PAGES[0])))
  );
});
