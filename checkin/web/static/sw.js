"use strict";
// Keeps the page's own files so /app opens without a network; API calls always go to the
// network (the page's outbox handles being offline).
const CACHE = "etk-app-v1";
const SHELL = ["/app", "/web/common.css", "/web/app.css", "/web/api.js", "/web/app.js",
               "/web/fonts/Sarabun-Regular.ttf", "/web/fonts/Sarabun-SemiBold.ttf", "/app/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  // Network first (fresh code when online), the cached shell when offline.
  event.respondWith(fetch(event.request).then((response) => {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(event.request, copy));
    return response;
  }).catch(() => caches.match(event.request)));
});
