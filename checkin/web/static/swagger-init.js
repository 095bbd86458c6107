"use strict";
// Starts Swagger UI on /docs. A file rather than flask-smorest's inline <script>, so that the
// page's Content-Security-Policy needs no 'unsafe-inline' for scripts. The spec URL and
// OPENAPI_SWAGGER_UI_CONFIG come from the container's data attributes.
window.addEventListener("load", () => {
  const container = document.getElementById("swagger-ui-container");
  const config = { url: container.dataset.specUrl, dom_id: "#swagger-ui-container" };
  Object.assign(config, JSON.parse(container.dataset.config || "{}"));
  window.ui = SwaggerUIBundle(config);
});
