"use strict";
// The employee page: location + selfie -> POST /api/v1/checkins. Every check-in goes to an
// IndexedDB outbox first and leaves it only when the server answered, so a check-in made
// offline is sent later with the same client_event_id (the server never counts it twice).

let position = null;
let deviceId = localStorage.getItem("etk-device") || uuid4();
localStorage.setItem("etk-device", deviceId);

const outbox = {
  db: null,
  open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("etk-outbox", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("events", { keyPath: "client_event_id" });
      request.onsuccess = () => { this.db = request.result; resolve(); };
      request.onerror = () => reject(request.error);
    });
  },
  run(mode, action) {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction("events", mode);
      const result = action(tx.objectStore("events"));
      tx.oncomplete = () => resolve(result.result);
      tx.onerror = () => reject(tx.error);
    });
  },
  put(event) { return this.run("readwrite", (store) => store.put(event)); },
  remove(id) { return this.run("readwrite", (store) => store.delete(id)); },
  all() { return this.run("readonly", (store) => store.getAll()); },
};

function showLocation() {
  const node = document.getElementById("location");
  if (!position) return;
  const { latitude, longitude, accuracy } = position.coords;
  const age = Math.max(0, Math.round((Date.now() - position.timestamp) / 1000));
  node.textContent = `${latitude.toFixed(6)}, ${longitude.toFixed(6)} · ความแม่นยำ / accuracy ±${Math.round(accuracy)} ม.` +
    ` · เมื่อ ${age} วินาทีที่แล้ว / ${age} s ago`;
  node.className = accuracy <= 50 ? "good" : "poor";
}

// A fresh high-accuracy fix (never a cached one): the server flags a fix taken more than two
// minutes before the photo (STALE_POSITION), and a position read at login is not where the
// person is when they press the button.
function locate() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) {
      document.getElementById("location").textContent = "อุปกรณ์นี้ไม่มี GPS / No location on this device";
      resolve(position);
      return;
    }
    document.getElementById("location").textContent = "กำลังหาตำแหน่ง… / Locating…";
    navigator.geolocation.getCurrentPosition(
      (found) => { position = found; showLocation(); resolve(position); },
      (error) => {
        document.getElementById("location").textContent = "หาตำแหน่งไม่ได้ / No position: " + error.message;
        resolve(position);  // the last fix, with its own time: the server judges its age
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 },
    );
  });
}

function showResult(body) {
  const node = document.getElementById("result");
  node.replaceChildren(
    el("p", { class: "status-" + body.status, id: "result-status" }, STATUS_TH[body.status] || body.status),
    el("p", { class: "muted" }, `${body.kind === "in" ? "เข้า / in" : "ออก / out"} · ${bangkokTime(body.received_at)}` +
       (body.site ? ` · ${body.site.name}` : "")),
    el("ul", { class: "reasons" }, ...body.messages.map((m) => el("li", {}, `${m.th} / ${m.en}`))),
  );
  node.classList.remove("hidden");
  node.scrollIntoView({ behavior: "smooth", block: "center" });
}

function showQueued(count) {
  const node = document.getElementById("result");
  node.replaceChildren(el("p", { class: "status-flagged", id: "result-status" },
    "ยังส่งไม่ได้ จะส่งให้เมื่อกลับมาออนไลน์ / Saved; it will be sent when you are back online"));
  node.classList.remove("hidden");
}

async function refreshCount() {
  document.getElementById("outbox-count").textContent = (await outbox.all()).length;
}

async function send(event) {
  const form = new FormData();
  for (const [key, value] of Object.entries(event)) {
    if (key === "selfie") form.append("selfie", value, "selfie.jpg");
    else if (value !== null && value !== undefined) form.append(key, value);
  }
  const response = await Api.request("/api/v1/checkins", { method: "POST", body: form });
  const body = await response.json();
  if (response.status >= 500) throw new Error(body.message);  // keep it, try again later
  await outbox.remove(event.client_event_id);  // answered (also 4xx: resending would not help)
  return { ok: response.ok, body };
}

let flushing = false;
async function flush() {
  if (flushing || !Api.token()) return;
  flushing = true;
  try {
    for (const event of await outbox.all()) {
      try {
        const { ok, body } = await send(event);
        if (ok) showResult(body);
      } catch (error) { break; }  // still offline
    }
  } finally { flushing = false; await refreshCount(); }
}

async function checkIn(kind) {
  const file = document.getElementById("selfie").files[0];
  if (!file) { alert("กรุณาถ่ายภาพตนเองกับป้ายก่อน / Take the selfie first"); return; }
  const fix = await locate();
  const coords = fix ? fix.coords : null;
  const event = {
    client_event_id: uuid4(), kind, captured_at: new Date().toISOString(), device_id: deviceId,
    latitude: coords ? coords.latitude : null, longitude: coords ? coords.longitude : null,
    accuracy_m: coords ? Math.max(coords.accuracy, 0.1) : null,
    accuracy_confidence: 95,  // browsers report a 95 % radius
    position_at: fix ? new Date(fix.timestamp).toISOString() : null,
    selfie: file,
  };
  await outbox.put(event);
  await refreshCount();
  try {
    const { ok, body } = await send(event);
    if (ok) showResult(body); else alert(body.message);
  } catch (error) {
    showQueued();
  }
  await refreshCount();
}

function showPage() {
  const loggedIn = Boolean(Api.token());
  document.getElementById("login").classList.toggle("hidden", loggedIn);
  document.getElementById("checkin").classList.toggle("hidden", !loggedIn);
  document.getElementById("logout").classList.toggle("hidden", !loggedIn);
  if (loggedIn) { locate(); flush(); }
}

document.addEventListener("DOMContentLoaded", async () => {
  await outbox.open();
  await refreshCount();
  document.getElementById("login").addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    try {
      await Api.login(document.getElementById("username").value, document.getElementById("password").value);
      showPage();
    } catch (error) { document.getElementById("login-error").textContent = error.message; }
  });
  document.getElementById("logout").addEventListener("click", async () => { await Api.logout(); showPage(); });
  document.getElementById("locate").addEventListener("click", locate);
  document.getElementById("selfie").addEventListener("change", (changed) => {
    const file = changed.target.files[0];
    const preview = document.getElementById("preview");
    if (file) { preview.src = URL.createObjectURL(file); preview.classList.remove("hidden"); }
  });
  for (const id of ["clock-in", "clock-out"]) {
    const button = document.getElementById(id);
    button.addEventListener("click", () => checkIn(button.dataset.kind));
  }
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/app/sw.js", { scope: "/app" }).catch(() => {});
  showPage();
});
