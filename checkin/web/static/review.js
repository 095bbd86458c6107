"use strict";
// The supervisor page: the queue, one item's evidence side by side, approve or reject.
// A decision is only ever made on the item whose evidence is on screen, one at a time; from the
// keyboard, `a` asks to be pressed again to approve (a held or repeated key decides nothing).
let items = [];
let selected = -1;
let shownId = null;  // the check-in whose evidence is on screen
let deciding = false;
let armed = null;  // {id, until}: `a` was pressed once for this item
let page = 1;
const PAGE_SIZE = 50;

function filterQuery() {
  const query = new URLSearchParams({ status: "pending", page, page_size: PAGE_SIZE });
  for (const [name, id] of [["unit", "filter-unit"], ["reason", "filter-reason"], ["from", "filter-from"], ["to", "filter-to"]]) {
    const value = document.getElementById(id).value;
    if (value) query.set(name, value);
  }
  return query;
}

async function loadFilters() {  // once per login: the units and the reason codes to choose from
  const [units, reasons] = await Promise.all([Api.json("/api/v1/units"), Api.json("/api/v1/reasons")]);
  document.getElementById("filter-unit").replaceChildren(el("option", { value: "" }, "ทุกหน่วยงาน / All units"),
    ...units.map((unit) => el("option", { value: unit.id }, `${unit.name_th} (${unit.code})`)));
  document.getElementById("filter-reason").replaceChildren(el("option", { value: "" }, "ทุกเหตุผล / All reasons"),
    ...reasons.map((reason) => el("option", { value: reason.code }, reason.th)));
}

async function loadQueue() {
  const response = await Api.request(`/api/v1/reviews?${filterQuery()}`);
  if (!response.ok) throw new Error(errorText(response, await jsonOf(response)));
  items = await response.json();
  const paging = JSON.parse(response.headers.get("X-Pagination") || "{}");
  const total = paging.total ?? items.length;
  const pages = Math.max(1, paging.total_pages ?? 1);
  if (page > pages) { page = pages; return loadQueue(); }
  document.getElementById("pending-count").textContent = `(${total})`;
  document.getElementById("page-info").textContent = total > PAGE_SIZE ? `หน้า ${page}/${pages} / page ${page} of ${pages}` : "";
  document.getElementById("prev-page").classList.toggle("hidden", page <= 1);
  document.getElementById("next-page").classList.toggle("hidden", page >= pages);
  const list = document.getElementById("queue");
  list.replaceChildren(...items.map((item, index) => {
    const reasons = item.messages.map((m) => m.th).join(" · ");
    const li = el("li", { role: "option", id: `item-${item.id}`, tabindex: "-1", "data-index": index, "data-id": item.id,
                          "aria-selected": "false" },
      el("div", { class: "who" }, `${item.employee.first_name_th} ${item.employee.last_name_th} (${item.employee.code})`),
      el("div", { class: "muted" }, `${item.kind === "in" ? "เข้า" : "ออก"} · ${bangkokTime(item.received_at)}` +
         (item.site ? ` · ${item.site.name}` : "")),
      el("div", {}, reasons));
    li.addEventListener("click", () => select(index));
    return li;
  }));
  document.getElementById("empty").classList.toggle("hidden", items.length > 0);
  if (items.length) select(Math.min(Math.max(selected, 0), items.length - 1));
  else { selected = -1; document.getElementById("detail").classList.add("hidden"); }
}

async function select(index) {
  selected = index;
  shownId = null;  // until this item's evidence is drawn, nothing can be decided
  for (const li of document.querySelectorAll("#queue li")) {
    li.setAttribute("aria-selected", String(Number(li.dataset.index) === index));
  }
  const item = items[index];
  document.getElementById("queue").setAttribute("aria-activedescendant", `item-${item.id}`);
  document.querySelector(`#queue li[data-index="${index}"]`).scrollIntoView({ block: "nearest" });
  const evidence = await Api.json(`/api/v1/checkins/${item.id}/evidence`);
  if (items[selected] !== item) return;  // the user moved on meanwhile
  document.getElementById("detail").classList.remove("hidden");
  document.getElementById("detail-title").textContent =
    `${item.employee.first_name_th} ${item.employee.last_name_th} · ${item.kind === "in" ? "ลงเวลาเข้า / in" : "ลงเวลาออก / out"}`;
  document.getElementById("detail-meta").textContent = `${bangkokTime(item.received_at)} · ` +
    (evidence.site ? evidence.site.name : "ไม่ทราบจุดลงเวลา / no site") +
    (evidence.distance_m !== null ? ` · ห่าง ${Math.round(evidence.distance_m)} ม. / ${Math.round(evidence.distance_m)} m away` : "");
  document.getElementById("reasons").replaceChildren(
    ...evidence.reasons.map((m) => el("li", { "data-code": m.code }, `${m.th} / ${m.en}`)));
  const face = faceText(evidence.face, evidence.reasons.map((m) => m.code));
  const sign = evidence.sign.found ? `ป้าย: ${evidence.sign.matched ? "ถูกต้อง" : "ไม่ถูกต้อง"} (#${evidence.sign.sign_id ?? "-"})`
    : "ป้าย: ไม่พบ / no sign";
  document.getElementById("face-sign").textContent = `${face} · ${sign}`;
  document.getElementById("policy").textContent = policyText(evidence.policy);
  EvidenceMap.draw(document.getElementById("map"), evidence.fence, evidence.point, evidence.accuracy_radius_95_m);
  document.getElementById("selfie").src = (await Api.blobUrl(evidence.selfie_url)) || "";
  const enrolled = evidence.enrolled_thumbnail_urls[0];
  const enrolledImage = document.getElementById("enrolled");
  enrolledImage.src = enrolled ? (await Api.blobUrl(enrolled)) || "" : "";
  enrolledImage.classList.toggle("hidden", !enrolled);
  document.getElementById("enrolled-caption").textContent = enrolled
    ? "ใบหน้าที่ลงทะเบียน / Enrolled face" : "ไม่มีใบหน้าที่ลงทะเบียน / No enrolled face";
  document.getElementById("note").value = "";
  document.getElementById("decision-error").textContent = "";
  shownId = item.id;
}

// The face result in words a supervisor reads: how different on a scale of 100, against the
// limit that applied (not a bare "distance 0.362"), and what it was compared with.
function faceText(face, codes) {
  if (!face.checked) return "ใบหน้า: ยังไม่ได้ลงทะเบียนใบหน้า / Face: not enrolled";
  if (face.distance === null || face.distance === undefined) {
    return codes.includes("FACE_TOO_SMALL") ? "ใบหน้า: ใบหน้าในภาพเล็กเกินกว่าจะเทียบได้ / Face: too small to compare"
      : "ใบหน้า: ไม่พบใบหน้าในภาพ / Face: no face in the photo";
  }
  const difference = Math.round(face.distance * 100);
  const limit = Math.round((face.tolerance ?? 0.45) * 100);
  const verdict = face.matched ? "ตรงกับที่ลงทะเบียน / matches"
    : face.distance <= 0.6 ? "คล้ายแต่ไม่แน่ใจ ให้ดูภาพ / similar, not sure: look at the photos"
    : "ไม่ใช่คนเดียวกัน / a different person";
  const against = face.reference && face.reference.kind === "selfie"
    ? " · เทียบกับภาพลงเวลาที่ยืนยันแล้ว / compared with an earlier verified selfie" : "";
  return `ใบหน้า: ${verdict} (ต่างกัน ${difference} จาก 100, เกณฑ์ไม่เกิน ${limit} / difference ${difference}, limit ${limit})${against}`;
}

// The site's evidence policy the decision applied (that of the fence's version at the time).
function policyText(policy) {
  if (!policy) return "";
  const sign = policy.sign_required === "always"
    ? "ต้องมีป้ายทุกครั้ง / sign every time" : "ใช้ป้ายเมื่อ GPS คลาดเคลื่อน / sign when GPS drifts";
  const display = policy.display_sign_only ? " · รับเฉพาะรหัสบนจอ / screen code only" : "";
  return `นโยบายจุดลงเวลา / site policy: ${sign}${display} · ภาพยืนยันได้ไม่เกิน ${policy.photo_max_distance_m} ม.` +
    ` / photo up to ${policy.photo_max_distance_m} m`;
}

async function decide(decision) {
  if (selected < 0 || deciding) return;
  const item = items[selected];
  if (!item || item.id !== shownId) return;  // its evidence is not on screen yet
  const note = document.getElementById("note").value.trim();
  if (decision === "reject" && !note) {
    document.getElementById("decision-error").textContent = "กรุณาระบุเหตุผลที่ไม่อนุมัติ / Please write why";
    document.getElementById("note").focus();
    return;
  }
  deciding = true;
  armed = null;
  try {
    await Api.json(`/api/v1/reviews/${item.id}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ decision, note: note || null }),
    });
    toast(decision === "approve" ? "อนุมัติแล้ว / Approved" : "ไม่อนุมัติแล้ว / Rejected");
    await loadQueue();
  } catch (error) {
    if (error.status === 409) {  // decided by someone else meanwhile: say so, and it leaves the list
      toast(error.message);
      await loadQueue();
    } else {
      document.getElementById("decision-error").textContent = error.message;
    }
  } finally { deciding = false; }
}

// `a` once asks; `a` again within 4 s on the same item approves it.
function approveByKey() {
  const item = items[selected];
  if (!item || item.id !== shownId || deciding) return;
  if (armed && armed.id === item.id && Date.now() < armed.until) { decide("approve"); return; }
  armed = { id: item.id, until: Date.now() + 4000 };
  toast("กด a อีกครั้งเพื่ออนุมัติรายการนี้ / Press a again to approve this item");
}

function toast(message) {
  const node = document.getElementById("toast");
  node.textContent = message;
  node.classList.remove("hidden");
  setTimeout(() => node.classList.add("hidden"), 2500);
}

function onKey(event) {
  if (event.target.tagName === "TEXTAREA" || event.target.tagName === "INPUT") {
    if (event.key === "Escape") event.target.blur();
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) decide("reject");
    return;
  }
  // A held key decides nothing; a button has its own Enter/Space; a list picks by letters.
  if (event.repeat || ["BUTTON", "SELECT"].includes(event.target.tagName)) return;
  if (event.key === "Enter" && event.target.id === "queue" && selected >= 0) {  // open: to the evidence
    document.getElementById("detail-title").focus();
    event.preventDefault();
  }
  if (["j", "ArrowDown"].includes(event.key) && selected < items.length - 1) { select(selected + 1); event.preventDefault(); }
  if (["k", "ArrowUp"].includes(event.key) && selected > 0) { select(selected - 1); event.preventDefault(); }
  if (event.key === "a") approveByKey();
  if (event.key === "r") { event.preventDefault(); document.getElementById("note").focus(); }
}

function showPage() {
  const user = Api.user();
  const loggedIn = Boolean(Api.token());
  if (!loggedIn) document.getElementById("login-error").textContent = Api.sessionNotice();
  document.getElementById("login").classList.toggle("hidden", loggedIn);
  document.getElementById("workspace").classList.toggle("hidden", !loggedIn);
  document.getElementById("logout").classList.toggle("hidden", !loggedIn);
  document.getElementById("who").textContent = loggedIn && user ? `${user.username} (${user.role})` : "";
  if (loggedIn) {
    document.getElementById("queue-title").focus();  // the first Tab goes to the queue
    loadQueue().catch((error) => toast(error.message));
    loadFilters().catch(() => null);  // the queue works without them
  }
}

document.addEventListener("DOMContentLoaded", () => {
  Api.tokenKey = "etk-review-token";  // separate from the employee page's login on a shared browser
  document.getElementById("login").addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    try {
      await Api.login(document.getElementById("username").value, document.getElementById("password").value);
      showPage();
    } catch (error) { document.getElementById("login-error").textContent = error.message; }
  });
  document.getElementById("logout").addEventListener("click", async () => {
    await Api.logout();
    document.getElementById("login").reset();  // nothing typed is left for the next person
    showPage();
  });
  document.getElementById("approve").addEventListener("click", () => decide("approve"));
  document.getElementById("reject").addEventListener("click", () => decide("reject"));
  document.getElementById("filters").addEventListener("change", () => { page = 1; selected = 0; loadQueue(); });
  document.getElementById("filters").addEventListener("submit", (submitted) => submitted.preventDefault());
  document.getElementById("prev-page").addEventListener("click", () => { page -= 1; selected = 0; loadQueue(); });
  document.getElementById("next-page").addEventListener("click", () => { page += 1; selected = 0; loadQueue(); });
  document.addEventListener("keydown", onKey);
  showPage();
});
