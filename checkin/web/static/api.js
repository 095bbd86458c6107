"use strict";
// The JSON API, shared by both pages: the tokens live in localStorage under a per-page key.
// Access tokens live 15 minutes; a refresh token (7 days) gets a new one and a new refresh token,
// so while the app is used the login lasts, and a check-in that waited offline in the outbox
// still goes out with the phone's login.
const Api = {
  tokenKey: "etk-token",
  token() { return localStorage.getItem(this.tokenKey); },
  user() { try { return JSON.parse(localStorage.getItem(this.tokenKey + "-user")); } catch (e) { return null; } },
  async login(username, password) {
    const response = await fetch("/api/v1/auth/token", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password }),
    }).catch(() => { throw new Error(NETWORK_ERROR); });
    const body = await jsonOf(response);
    if (!response.ok) throw new Error(errorText(response, body));
    localStorage.setItem(this.tokenKey, body.access_token);
    localStorage.setItem(this.tokenKey + "-refresh", body.refresh_token);
    localStorage.setItem(this.tokenKey + "-user", JSON.stringify(body.user));
    return body.user;
  },
  async refresh() {
    const refresh = localStorage.getItem(this.tokenKey + "-refresh");
    if (!refresh) return false;
    const response = await fetch("/api/v1/auth/refresh", { method: "POST", headers: { Authorization: "Bearer " + refresh } });
    if (!response.ok) return false;
    const body = await response.json();
    localStorage.setItem(this.tokenKey, body.access_token);
    if (body.refresh_token) localStorage.setItem(this.tokenKey + "-refresh", body.refresh_token);
    return true;
  },
  forget() {
    for (const suffix of ["", "-refresh", "-user"]) localStorage.removeItem(this.tokenKey + suffix);
  },
  async logout() {  // ends every session of the account on the server too
    if (this.token()) await fetch("/api/v1/auth/logout", { method: "POST", headers: { Authorization: "Bearer " + this.token() } }).catch(() => null);
    this.forget();
  },
  async request(path, options = {}, retried = false) {
    const headers = Object.assign({ Authorization: "Bearer " + this.token() }, options.headers || {});
    const response = await fetch(path, Object.assign({}, options, { headers }))
      .catch(() => { throw new Error(NETWORK_ERROR); });  // no status: the network, not the server
    if (response.status === 401) {
      if (!retried && await this.refresh()) return this.request(path, options, true);
      this.endSession();
    }
    return response;
  },
  // The session ended (logged out elsewhere, expired, revoked): back to the login screen, which
  // says so. Nothing waiting in the page's outbox is dropped: it stays for its owner.
  endSession() {
    this.forget();
    sessionStorage.setItem("etk-session-ended", "1");
    location.reload();
  },
  sessionNotice() {  // once, on the login screen after endSession
    const ended = sessionStorage.getItem("etk-session-ended");
    sessionStorage.removeItem("etk-session-ended");
    return ended ? "หมดเวลาเข้าสู่ระบบ กรุณาเข้าสู่ระบบอีกครั้ง / Your session has ended: please log in again." : "";
  },
  async json(path, options) {
    const response = await this.request(path, options);
    const body = response.status === 204 ? null : await jsonOf(response);
    if (!response.ok) {
      const error = new Error(errorText(response, body));
      error.body = body;
      error.status = response.status;
      throw error;
    }
    return body;
  },
  async blobUrl(path) {
    const response = await this.request(path);
    return response.ok ? URL.createObjectURL(await response.blob()) : null;
  },
};

// What went wrong, in Thai first, with what to do: the server's own messages are English.
const NETWORK_ERROR = "ติดต่อเซิร์ฟเวอร์ไม่ได้ ตรวจสอบอินเทอร์เน็ตแล้วลองอีกครั้ง / Cannot reach the server: check the connection and try again.";
const BUSY_ERROR = "เซิร์ฟเวอร์ไม่ว่างชั่วคราว กรุณาลองอีกครั้งในอีกสักครู่ / The server is busy: try again in a moment.";
const PHOTO_ERROR = "ใช้ไฟล์ภาพนี้ไม่ได้ กรุณาถ่ายภาพใหม่ด้วยกล้องของโทรศัพท์ / This photo file cannot be used: take a new photo with the phone's camera.";
const ERRORS_TH = {
  BAD_CREDENTIALS: "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง / Wrong user name or password.",
  ACCOUNT_DISABLED: "บัญชีนี้ถูกระงับ กรุณาติดต่อผู้ดูแลระบบ / This account is disabled: contact the administrator.",
  EMPLOYEE_INACTIVE: "ข้อมูลพนักงานของบัญชีนี้ไม่อยู่ในสถานะปฏิบัติงาน กรุณาติดต่อฝ่ายบุคคล / This employee record is inactive: contact HR.",
  NO_EMPLOYEE_RECORD: "บัญชีนี้ไม่ได้ผูกกับข้อมูลพนักงาน จึงลงเวลาไม่ได้ / This account has no employee record, so it cannot check in.",
  ALREADY_DECIDED: "รายการนี้มีผู้ตัดสินไปแล้ว จึงนำออกจากรายการ / Someone else already decided this check-in: it leaves the list.",
  CHECKIN_RATE_LIMITED: "ลงเวลาถี่เกินไป กรุณารอสักครู่แล้วลองใหม่ / Too many check-ins: wait a little and try again.",
  IMAGE_TOO_LARGE: "ไฟล์ภาพใหญ่เกินไป (เกิน 10 MB) กรุณาถ่ายภาพใหม่ / The photo is too large (over 10 MB): take a new one.",
  IMAGE_TOO_MANY_PIXELS: "ภาพมีความละเอียดสูงเกินไป กรุณาถ่ายภาพใหม่ / The photo has too many pixels: take a new one.",
};

async function jsonOf(response) {  // a proxy's HTML error page is not JSON
  try { return await response.json(); } catch (error) { return null; }
}

function errorText(response, body) {
  const reason = body && body.reason;
  if (reason === "LOGIN_LOCKED") {
    const wait = response.headers.get("Retry-After") || "60";
    return `เข้าสู่ระบบผิดหลายครั้ง บัญชีถูกพักไว้ชั่วคราว ลองใหม่ได้ในอีก ${wait} วินาที` +
      ` / Too many failed attempts: try again in ${wait} seconds.`;
  }
  if (ERRORS_TH[reason]) return ERRORS_TH[reason];
  if (reason && reason.startsWith("IMAGE_")) return PHOTO_ERROR;
  if (response.status >= 500 || !body) return BUSY_ERROR;
  return body.message;
}

function uuid4() {
  if (crypto.randomUUID) return crypto.randomUUID();  // secure contexts only
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function bangkokTime(iso) {
  return new Date(iso).toLocaleString("th-TH", { timeZone: "Asia/Bangkok", dateStyle: "medium", timeStyle: "medium" });
}

const STATUS_TH = { accepted: "ผ่าน / accepted", flagged: "รอตรวจสอบ / flagged for review", rejected: "ไม่ผ่าน / rejected" };
