// Jood's service worker: the app shell and static files offline, never a page with personal data.
// Pages are always fetched from the network; only /offline (a page with nothing personal) is kept for when it fails.
const VERSION = "jood-shell-v1";
const SHELL = [
  "/offline",
  "/static/css/jood.css",
  "/static/js/jood.js",
  "/static/img/logo.svg",
  "/static/img/illustrations/neighbourhood.svg",
  "/static/fonts/ibm-plex-sans-arabic/ibm-plex-sans-arabic-arabic-400-normal.woff2",
  "/static/fonts/ibm-plex-sans-arabic/ibm-plex-sans-arabic-arabic-700-normal.woff2",
  "/static/fonts/ibm-plex-sans-arabic/ibm-plex-sans-arabic-latin-400-normal.woff2",
  "/static/fonts/ibm-plex-sans-arabic/ibm-plex-sans-arabic-latin-700-normal.woff2",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== VERSION).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    // Static files: from the cache, else the network (and kept for next time).
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(VERSION).then((cache) => cache.put(request, copy));
      }
      return response;
    })));
  } else if (request.mode === "navigate") {
    // Pages: always the network, never stored (receipts, accounts and staff pages hold personal data).
    event.respondWith(fetch(request).catch(() => caches.match("/offline")));
  }
});
