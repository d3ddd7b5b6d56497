// The offline verifier: checks a printed certificate's SC1: record (Base45, zlib, COSE_Sign1 with EdDSA) against the
// trust list, whose signature it checks against the log key the page pins. Everything runs in the browser with its
// own Web Crypto; nothing is sent anywhere.
(function () {
  'use strict';
  const main = document.getElementById('offline');
  if (!main) return;
  const T = JSON.parse(main.dataset.text);
  const t = (key, ...args) => (T[key] || key).replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
  const $ = (id) => document.getElementById(id);
  const encoder = new TextEncoder();
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const failure = (code) => Object.assign(new Error(code), { code });
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) { out.set(p, offset); offset += p.length; }
    return out;
  };

  // Base45 (RFC 9285).
  const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  function base45(text) {
    const v = Array.from(text, (c) => ALPHABET.indexOf(c));
    if (v.includes(-1) || v.length % 3 === 1) return null;
    const out = [];
    for (let i = 0; i < v.length; i += 3) {
      if (i + 2 < v.length) {
        const n = v[i] + v[i + 1] * 45 + v[i + 2] * 2025;
        if (n > 65535) return null;
        out.push(n >> 8, n & 0xff);
      } else {
        const n = v[i] + v[i + 1] * 45;
        if (n > 255) return null;
        out.push(n);
      }
    }
    return new Uint8Array(out);
  }

  // zlib (RFC 1950) with the browser's own inflater.
  async function inflate(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // The CBOR (RFC 8949) a COSE_Sign1 needs: integers, byte and text strings, arrays, maps, tags; definite lengths.
  function cbor(bytes) {
    let i = 0;
    const need = (n) => { if (i + n > bytes.length) throw failure('offline.structure'); };
    function item(depth) {
      if (depth > 16) throw failure('offline.structure');
      need(1);
      const first = bytes[i++];
      const major = first >> 5;
      const info = first & 0x1f;
      let n = info;
      if (info >= 24) {
        const size = { 24: 1, 25: 2, 26: 4 }[info];
        if (!size) throw failure('offline.structure');
        need(size);
        n = 0;
        for (let k = 0; k < size; k++) n = n * 256 + bytes[i++];
      }
      switch (major) {
        case 0: return n;
        case 1: return -1 - n;
        case 2: need(n); i += n; return bytes.slice(i - n, i);
        case 3: need(n); i += n; return new TextDecoder('utf-8', { fatal: true }).decode(bytes.slice(i - n, i));
        case 4: { const a = []; for (let k = 0; k < n; k++) a.push(item(depth + 1)); return a; }
        case 5: { const m = new Map(); for (let k = 0; k < n; k++) { const key = item(depth + 1); m.set(key, item(depth + 1)); } return m; }
        case 6: return { tag: n, value: item(depth + 1) };
        default: throw failure('offline.structure');
      }
    }
    const value = item(0);
    if (i !== bytes.length) throw failure('offline.structure');
    return value;
  }

  function head(major, n) {
    if (n < 24) return new Uint8Array([(major << 5) | n]);
    if (n < 256) return new Uint8Array([(major << 5) | 24, n]);
    if (n < 65536) return new Uint8Array([(major << 5) | 25, n >> 8, n & 0xff]);
    return new Uint8Array([(major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  }

  // Sig_structure = ["Signature1", protected, external_aad = h'', payload] (RFC 9052 §4.4).
  function toBeSigned(protectedBytes, payload) {
    const label = encoder.encode('Signature1');
    return concat(head(4, 4), head(3, label.length), label, head(2, protectedBytes.length), protectedBytes, head(2, 0),
      head(2, payload.length), payload);
  }

  async function ed25519(publicKey) {
    try {
      return await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      throw failure('offline.noCrypto');
    }
  }

  // A C2SP signed note's text, if the pinned key (<name>+<hex id>+<base64(0x01 ‖ key)>) signed it.
  async function openNote(note, verifierKey) {
    const [name, id, ...rest] = verifierKey.split('+');
    const raw = b64(rest.join('+'));
    const split = note.lastIndexOf('\n\n');
    if (raw.length !== 33 || raw[0] !== 1 || split < 0) throw failure('offline.trustBad');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', concat(encoder.encode(name + '\n'), raw)));
    if (hex(digest.slice(0, 4)) !== id) throw failure('offline.trustBad');
    const key = await ed25519(raw.slice(1));
    const text = note.slice(0, split + 1);
    for (const line of note.slice(split + 2).split('\n')) {
      const [dash, signer, blob] = line.split(' ');
      if (dash !== '—' || signer !== name || !blob) continue;
      const bytes = b64(blob);
      if (hex(bytes.slice(0, 4)) !== id) continue;
      if (await crypto.subtle.verify({ name: 'Ed25519' }, key, bytes.slice(4), encoder.encode(text))) return text;
    }
    throw failure('offline.trustBad');
  }

  let trust = null;

  async function loadTrust() {
    const status = $('trust-status');
    try {
      const response = await fetch(main.dataset.trustList, { cache: 'no-cache', credentials: 'omit' });
      if (!response.ok) throw failure('offline.noTrust');
      const list = JSON.parse(await openNote(await response.text(), main.dataset.logKey));
      const issued = new Date(list.issued);
      const days = Math.max(0, Math.floor((Date.now() - issued.getTime()) / 86400000));
      trust = list;
      status.textContent = t('offline.trustAge', issued.toLocaleString(document.documentElement.lang), days, list.bodies.length);
      status.dataset.state = 'loaded';
    } catch (e) {
      trust = null;
      status.textContent = t(e.code || 'offline.noTrust');
      status.dataset.state = 'missing';
    }
  }

  async function verify(text) {
    if (!trust) throw failure('offline.noTrust');
    if (!text.startsWith('SC1:')) throw failure('offline.notSC1');
    const zipped = base45(text.slice(4));
    if (!zipped) throw failure('offline.encoding');
    let raw;
    try { raw = await inflate(zipped); } catch (e) { throw failure('offline.encoding'); }
    const sign1 = cbor(raw);
    const parts = sign1 && sign1.tag === 18 ? sign1.value : null;
    if (!Array.isArray(parts) || parts.length !== 4 || ![0, 2, 3].every((k) => parts[k] instanceof Uint8Array)) {
      throw failure('offline.structure');
    }
    const [protectedBytes, , payload, signature] = parts;
    const header = cbor(protectedBytes);
    const claims = cbor(payload);
    if (!(header instanceof Map) || header.get(1) !== -8 || !(header.get(4) instanceof Uint8Array) || !(claims instanceof Map)) {
      throw failure('offline.structure');
    }
    const body = trust.bodies.find((b) => b.did === claims.get('issuer'));
    if (!body) throw failure('offline.unknownIssuer');
    const key = body.keys.find((k) => k.kid === hex(header.get(4)));
    if (!key) throw failure('offline.unknownKey');
    const publicKey = await ed25519(b64(key.publicKey));
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, toBeSigned(protectedBytes, payload)))) {
      throw failure('offline.badSignature');
    }
    return { claims, body, key };
  }

  function show(ok, explanation, facts, number) {
    const status = $('offline-status');
    status.textContent = t(ok ? 'offline.badge.valid' : 'offline.badge.invalid');
    status.className = 'status ' + (ok ? 'valid' : 'invalid');
    $('offline-explanation').textContent = explanation;
    const list = $('offline-facts');
    list.replaceChildren();
    for (const [label, value] of facts) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      list.append(dt, dd);
    }
    const online = $('offline-online');
    online.replaceChildren();
    if (number) {
      const link = document.createElement('a');
      link.href = main.dataset.home + '/' + encodeURIComponent(number);
      link.textContent = t('offline.checkOnline');
      online.append(link);
    }
    $('result').hidden = false;
  }

  async function check(text) {
    const error = $('record-error');
    const field = $('record');
    text = text.trim();
    if (!text) {
      error.textContent = t('offline.required');
      error.hidden = false;
      field.setAttribute('aria-invalid', 'true');
      return;
    }
    error.hidden = true;
    field.removeAttribute('aria-invalid');
    try {
      const { claims, body, key } = await verify(text);
      const c = (name) => claims.get(name);
      const facts = [
        [t('certificate.number'), c('number')], [t('offline.fact.holder'), c('holder')],
        [t('offline.fact.occupation'), `${c('occupation')}（${c('occupationCode')}）`],
        [t('offline.fact.level'), T['level.' + c('level')] || c('level')], [t('offline.fact.issued'), c('issued')],
        [t('offline.fact.issuer'), body.name],
      ];
      if (c('validUntil')) facts.push([t('offline.fact.validUntil'), c('validUntil')]);
      show(true, t(key.retired ? 'offline.validRetiredKey' : 'offline.valid', body.name), facts, c('number'));
    } catch (e) {
      show(false, t(e.code || 'offline.structure'), [], null);
    }
  }

  $('offline-form').addEventListener('submit', (event) => {
    event.preventDefault();
    check($('record').value);
  });

  // The camera, where the browser can read QR codes itself.
  if ('BarcodeDetector' in window && navigator.mediaDevices) {
    const button = $('scan');
    const video = $('camera');
    let stream = null;
    const stop = () => {
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.hidden = true;
      button.textContent = t('offline.scan');
    };
    button.hidden = false;
    button.addEventListener('click', async () => {
      if (stream) return stop();
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      } catch (e) {
        show(false, t('offline.cameraError'), [], null);
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      button.textContent = t('offline.stopScan');
      await video.play();
      const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      const scan = async () => {
        if (!stream) return;
        const found = (await detector.detect(video).catch(() => [])).find((code) => code.rawValue.startsWith('SC1:'));
        if (!found) return void setTimeout(scan, 300);
        $('record').value = found.rawValue;
        stop();
        check(found.rawValue);
      };
      scan();
    });
  }

  if ('serviceWorker' in navigator) {
    const worker = main.dataset.worker + '?assets=' + encodeURIComponent(main.dataset.assets);
    navigator.serviceWorker.register(worker, { scope: main.dataset.scope })
      .then(() => navigator.serviceWorker.ready)
      .then(() => { $('offline-ready').textContent = t('offline.ready'); main.dataset.ready = 'true'; })
      .catch(() => {});
  }
  loadTrust();
})();
