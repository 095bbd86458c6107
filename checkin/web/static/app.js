"use strict";
// The employee page: location + selfie -> POST /api/v1/checkins. Every check-in goes to an
// IndexedDB outbox first and leaves it only when the server answered about it, so a check-in
// made offline is sent later with the same client_event_id (the server never counts it twice).
// Each check-in belongs to the account that made it: on a shared phone it is only ever sent
// with its owner's login, never with whoever logs in next.

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

let mySites = [];  // the employee's sites' outlines (GET /me/sites), to say whether they are inside

async function loadMySites() {
  try { mySites = (await Api.json("/api/v1/me/sites")).features; } catch (error) { mySites = []; }
  showLocation();
}

// Ray casting on [longitude, latitude]: exact enough for a building's fence; the server decides.
function inRing(x, y, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(x, y, rings) {
  return inRing(x, y, rings[0]) && !rings.slice(1).some((hole) => inRing(x, y, hole));
}

function siteAt(longitude, latitude) {
  return mySites.find(({ geometry }) => (geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates)
    .some((rings) => inPolygon(longitude, latitude, rings)));
}

function showLocation() {
  const node = document.getElementById("location");
  if (!position) return;
  const { latitude, longitude, accuracy } = position.coords;
  const age = Math.max(0, Math.round((Date.now() - position.timestamp) / 1000));
  const site = siteAt(longitude, latitude);
  const where = site ? `อยู่ใน ${site.properties.name} / inside` : "ไม่อยู่ในพื้นที่ลงเวลาของคุณ / outside your check-in sites";
  node.textContent = `${where} · ความแม่นยำ / accuracy ±${Math.round(accuracy)} ม.` +
    ` · เมื่อ ${age} วินาทีที่แล้ว / ${age} s ago`;
  // Green only inside one of the employee's sites with a good fix (a browser reports a 95 % radius).
  node.className = site && accuracy <= 50 ? "good" : "poor";
}

const LOCATION_ERRORS = {
  1: "ยังไม่ได้อนุญาตให้ใช้ตำแหน่ง: Android เปิด ตั้งค่า > ตำแหน่ง ให้เปิดอยู่ แล้วอนุญาตให้เบราว์เซอร์ใช้ตำแหน่ง;" +
     " iPhone เปิด การตั้งค่า > ความเป็นส่วนตัวและความปลอดภัย > บริการหาตำแหน่ง > เว็บไซต์ Safari > ขณะใช้แอป" +
     " แล้วกด หาตำแหน่งอีกครั้ง / Location is not allowed. Android: Settings > Location on, and allow the browser;" +
     " iPhone: Settings > Privacy & Security > Location Services > Safari Websites > While Using the App. Then press Locate again.",
  2: "หาตำแหน่งไม่ได้ ออกไปที่โล่งหรือใกล้หน้าต่างแล้วกด หาตำแหน่งอีกครั้ง / No position found: move into the open or near a window and press Locate again.",
  3: "หาตำแหน่งนานเกินไป กด หาตำแหน่งอีกครั้ง / Finding the position took too long: press Locate again.",
};

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
        document.getElementById("location").textContent = LOCATION_ERRORS[error.code] || LOCATION_ERRORS[2];
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
    el("p", { class: "muted", id: "result-time" }, `${body.kind === "in" ? "เข้า / in" : "ออก / out"}` +
       ` · กดเมื่อ / tapped ${bangkokTime(body.captured_at)}` + (sentLater(body) ? ` · ส่งเมื่อ / sent ${bangkokTime(body.received_at)}` : "") +
       (body.site ? ` · ${body.site.name}` : "")),
    el("ul", { class: "reasons" }, ...body.messages.map((m) => el("li", {}, `${m.th} / ${m.en}`))),
  );
  node.classList.remove("hidden");
  node.scrollIntoView({ behavior: "smooth", block: "center" });
}

function sentLater(body) {  // from the offline queue: the time that counts is the tap's
  return new Date(body.received_at) - new Date(body.captured_at) > 60 * 1000;
}

function showQueued(error) {
  // Fetch failed: offline. An answer came (a 5xx, a proxy's page, 429): the server is busy.
  const offline = !navigator.onLine || !error || error.status === undefined;
  const node = document.getElementById("result");
  node.replaceChildren(el("p", { class: "status-flagged", id: "result-status" }, offline
    ? "ยังส่งไม่ได้ จะส่งให้เมื่อกลับมาออนไลน์ / Saved; it will be sent when you are back online"
    : "เซิร์ฟเวอร์ไม่ว่างชั่วคราว เก็บการลงเวลาไว้แล้วและจะลองส่งให้อีกครั้งเอง / The server is busy: saved, and it will retry by itself"));
  node.classList.remove("hidden");
}

function showError(text) {
  const node = document.getElementById("result");
  node.replaceChildren(el("p", { class: "error", id: "result-status", role: "alert" }, text));
  node.classList.remove("hidden");
}

function currentOwner() {
  const user = Api.user();
  return user ? String(user.id) : null;
}

function isOwn(event) {
  return event.owner === currentOwner();
}

async function ownEvents() {
  return (await outbox.all()).filter(isOwn);
}

async function refreshCount() {
  const all = await outbox.all();
  const own = all.filter(isOwn).length;
  document.getElementById("outbox-count").textContent = own;
  const others = document.getElementById("outbox-others");
  others.textContent = all.length > own
    ? `มีการลงเวลาของผู้ใช้อื่นในเครื่องนี้รอส่ง ${all.length - own} รายการ จะส่งเมื่อเจ้าของเข้าสู่ระบบ` +
      ` / ${all.length - own} check-in(s) of another account on this phone wait for their owner to log in.`
    : "";
}

// The answers that are about the check-in itself: stored (201, or 200 for a retry), or refused
// for what it is (a reused client_event_id, a photo too large, not an image, invalid). Any
// other answer (401 session ended, 403, 429, 5xx, a proxy's HTML page) keeps it for later.
const FINAL_ANSWERS = new Set([200, 201, 409, 413, 415, 422]);

async function send(event) {
  const form = new FormData();
  form.append("sent_at", new Date().toISOString());  // with captured_at: a late send, not a wrong clock
  for (const [key, value] of Object.entries(event)) {
    if (key === "selfie") form.append("selfie", value, "selfie.jpg");
    else if (key !== "owner" && value !== null && value !== undefined) form.append(key, value);
  }
  const response = await Api.request("/api/v1/checkins", { method: "POST", body: form });
  const body = await jsonOf(response);
  if (!FINAL_ANSWERS.has(response.status) || !body) {  // keep it, try again later
    const error = new Error(errorText(response, body));
    error.status = response.status;
    throw error;
  }
  await outbox.remove(event.client_event_id);
  return { ok: response.ok, body, error: response.ok ? null : errorText(response, body) };
}

let flushing = false;
async function flush() {
  if (flushing || !Api.token()) return;
  flushing = true;
  try {
    for (const event of await ownEvents()) {
      try {
        const { ok, body, error } = await send(event);
        if (ok) showResult(body); else showError(error);
      } catch (error) { break; }  // still offline, or the server busy: later
    }
  } finally { flushing = false; await refreshCount(); }
}

function setSending(sending) {
  for (const id of ["clock-in", "clock-out"]) document.getElementById(id).disabled = sending;
}

// The live camera (front, in the page): a gallery photo cannot be picked where it works; the
// file input is only the fallback where the camera API is missing or refused.
let capturedPhoto = null;  // the JPEG taken from the camera
let cameraStream = null;

async function startCamera() {
  const usable = navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  document.getElementById("camera-box").classList.toggle("hidden", !usable);
  document.getElementById("file-box").classList.toggle("hidden", Boolean(usable));
  if (!usable || cameraStream) return;
  try {
    cameraStream = await navigator.mediaDevices.getUserMedia(
      { video: { facingMode: "user", width: { ideal: 1920 }, height: { ideal: 1920 } }, audio: false });
    document.getElementById("camera").srcObject = cameraStream;
  } catch (error) {  // refused or no camera: the file input instead
    document.getElementById("camera-box").classList.add("hidden");
    document.getElementById("file-box").classList.remove("hidden");
  }
}

function stopCamera() {
  if (cameraStream) for (const track of cameraStream.getTracks()) track.stop();
  cameraStream = null;
}

function shoot() {
  const video = document.getElementById("camera");
  if (!video.videoWidth) return;
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);  // as the sensor sees it: the server reads the sign unmirrored
  canvas.toBlob((blob) => {
    capturedPhoto = blob;
    const preview = document.getElementById("preview");
    preview.src = URL.createObjectURL(blob);
    preview.classList.remove("hidden");
  }, "image/jpeg", 0.9);
}

function clearPhoto() {  // a later Clock out must take a new photo, not reuse this one
  capturedPhoto = null;
  document.getElementById("selfie").value = "";
  const preview = document.getElementById("preview");
  preview.removeAttribute("src");
  preview.classList.add("hidden");
}

let sending = false;
async function checkIn(kind) {
  if (sending) return;  // a double tap sends once
  const file = capturedPhoto || document.getElementById("selfie").files[0];
  if (!file) { alert("กรุณาถ่ายภาพตนเองกับป้ายก่อน / Take the selfie first"); return; }
  sending = true;
  setSending(true);
  try {
    await sendCheckIn(kind, file);
  } finally {
    sending = false;
    setSending(false);
  }
}

async function sendCheckIn(kind, file) {
  const fix = await locate();
  if (!fix && !confirm("ยังไม่มีตำแหน่ง GPS การลงเวลาจะต้องรอผู้บังคับบัญชาตรวจสอบ ส่งต่อหรือไม่?" +
      " / No GPS position yet: a supervisor will have to check this check-in. Send it anyway?")) return;
  const coords = fix ? fix.coords : null;
  const event = {
    client_event_id: uuid4(), kind, captured_at: new Date().toISOString(), device_id: deviceId,
    latitude: coords ? coords.latitude : null, longitude: coords ? coords.longitude : null,
    accuracy_m: coords ? Math.max(coords.accuracy, 0.1) : null,
    accuracy_confidence: 95,  // browsers report a 95 % radius
    position_at: fix ? new Date(fix.timestamp).toISOString() : null,
    selfie: file, owner: currentOwner(),
  };
  await outbox.put(event);
  clearPhoto();
  await refreshCount();
  try {
    const { ok, body, error } = await send(event);
    if (ok) showResult(body); else showError(error);
  } catch (error) {
    showQueued(error);
  }
  await refreshCount();
}

function showPage() {
  const loggedIn = Boolean(Api.token());
  if (!loggedIn) document.getElementById("login-error").textContent = Api.sessionNotice();
  document.getElementById("login").classList.toggle("hidden", loggedIn);
  document.getElementById("checkin").classList.toggle("hidden", !loggedIn);
  document.getElementById("logout").classList.toggle("hidden", !loggedIn);
  if (loggedIn) { loadMySites(); locate(); flush(); startCamera(); } else stopCamera();
}

// Check-ins queued by the page before they carried an owner were made with the login this page
// still holds: they become that account's (none is sent with anyone else's).
async function adoptUnowned() {
  const owner = currentOwner();
  if (!owner) return;
  for (const event of await outbox.all()) {
    if (!event.owner) await outbox.put({ ...event, owner });
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  await outbox.open();
  await adoptUnowned();
  await refreshCount();
  document.getElementById("login").addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    try {
      await Api.login(document.getElementById("username").value, document.getElementById("password").value);
      await refreshCount();
      showPage();
    } catch (error) { document.getElementById("login-error").textContent = error.message; }
  });
  document.getElementById("logout").addEventListener("click", async () => {
    const waiting = (await ownEvents()).length;
    if (waiting && !confirm(`ยังมีการลงเวลารอส่ง ${waiting} รายการ รายการจะเก็บไว้ในเครื่องนี้และส่งเมื่อคุณเข้าสู่ระบบอีกครั้ง` +
        ` ออกจากระบบหรือไม่? / ${waiting} check-in(s) are still waiting to be sent. They stay on this phone and are` +
        " sent when you log in again. Log out?")) return;
    await Api.logout();
    document.getElementById("login").reset();  // a shared phone: nothing typed is left for the next person
    showPage();
  });
  document.getElementById("locate").addEventListener("click", locate);
  document.getElementById("shoot").addEventListener("click", shoot);
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
