"use strict";
// The supervisor page: the queue, one item's evidence side by side, approve or reject.
let items = [];
let selected = -1;

async function loadQueue() {
  items = await Api.json("/api/v1/reviews?status=pending&page_size=100");
  const list = document.getElementById("queue");
  list.replaceChildren(...items.map((item, index) => {
    const reasons = item.messages.map((m) => m.th).join(" · ");
    const li = el("li", { role: "option", "data-index": index, "data-id": item.id, "aria-selected": "false" },
      el("div", { class: "who" }, `${item.employee.first_name_th} ${item.employee.last_name_th} (${item.employee.code})`),
      el("div", { class: "muted" }, `${item.kind === "in" ? "เข้า" : "ออก"} · ${bangkokTime(item.received_at)}` +
         (item.site ? ` · ${item.site.name}` : "")),
      el("div", {}, reasons));
    li.addEventListener("click", () => select(index));
    return li;
  }));
  document.getElementById("pending-count").textContent = `(${items.length})`;
  document.getElementById("empty").classList.toggle("hidden", items.length > 0);
  if (items.length) select(Math.min(Math.max(selected, 0), items.length - 1));
  else { selected = -1; document.getElementById("detail").classList.add("hidden"); }
}

async function select(index) {
  selected = index;
  for (const li of document.querySelectorAll("#queue li")) {
    li.setAttribute("aria-selected", String(Number(li.dataset.index) === index));
  }
  const item = items[index];
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
  const face = evidence.face.checked
    ? `ใบหน้า: ${evidence.face.matched ? "ตรงกัน" : "ไม่ตรง"} (ระยะ ${evidence.face.distance ?? "-"})`
    : "ใบหน้า: ไม่ได้ลงทะเบียน / not enrolled";
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
  if (selected < 0) return;
  const item = items[selected];
  const note = document.getElementById("note").value.trim();
  if (decision === "reject" && !note) {
    document.getElementById("decision-error").textContent = "กรุณาระบุเหตุผลที่ไม่อนุมัติ / Please write why";
    document.getElementById("note").focus();
    return;
  }
  try {
    await Api.json(`/api/v1/reviews/${item.id}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ decision, note: note || null }),
    });
    toast(decision === "approve" ? "อนุมัติแล้ว / Approved" : "ไม่อนุมัติแล้ว / Rejected");
    await loadQueue();
  } catch (error) { document.getElementById("decision-error").textContent = error.message; }
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
  if (["j", "ArrowDown"].includes(event.key) && selected < items.length - 1) { select(selected + 1); event.preventDefault(); }
  if (["k", "ArrowUp"].includes(event.key) && selected > 0) { select(selected - 1); event.preventDefault(); }
  if (event.key === "a") decide("approve");
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
  if (loggedIn) loadQueue().catch((error) => toast(error.message));
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
  document.addEventListener("keydown", onKey);
  showPage();
});
