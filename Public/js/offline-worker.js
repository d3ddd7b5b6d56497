// The offline verifier's service worker: keeps the page, its script and style, and the signed trust list, and serves
// them from the network when it answers and from its cache when it does not. The page passes the paths it needs.
'use strict';
const ASSETS = JSON.parse(new URL(self.location).searchParams.get('assets') || '[]');
const CACHE = 'skillchain-offline-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(ASSETS.map((path) => new Request(path, { credentials: 'omit' }))))
      .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !ASSETS.includes(url.pathname)) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (!response.ok) return response;
        const copy = response.clone();
        return caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)).then(() => response);
      })
      .catch(() => caches.match(url.pathname).then((hit) => hit || Response.error())));
});
