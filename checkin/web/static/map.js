"use strict";
// Draws a fence (GeoJSON Polygon/MultiPolygon), the point and its accuracy circle as SVG,
// in metres on a local flat projection around the point: no tiles, works offline.
const EvidenceMap = {
  draw(svg, fence, point, radiusM) {
    svg.replaceChildren();
    const rings = fence ? this.rings(fence.geometry) : [];
    const centre = point ? point.coordinates : (rings.length ? rings[0][0] : null);
    if (!centre) { svg.append(this.text(150, 150, "ไม่มีพิกัด / no position")); return; }
    const latRad = centre[1] * Math.PI / 180;
    const mPerDegLat = 111132.9 - 559.8 * Math.cos(2 * latRad);
    const mPerDegLon = 111412.8 * Math.cos(latRad) - 93.5 * Math.cos(3 * latRad);
    const toMetres = ([lon, lat]) => [(lon - centre[0]) * mPerDegLon, (lat - centre[1]) * mPerDegLat];
    const metreRings = rings.map((ring) => ring.map(toMetres));
    let extent = Math.max(radiusM || 0, 30);
    for (const ring of metreRings) for (const [x, y] of ring) extent = Math.max(extent, Math.abs(x), Math.abs(y));
    const scale = 130 / extent;  // metres -> px, the furthest thing 130 px from the centre
    const px = ([x, y]) => `${(150 + x * scale).toFixed(1)},${(150 - y * scale).toFixed(1)}`;
    for (const ring of metreRings) {
      svg.append(this.node("polygon", { class: "fence", points: ring.map(px).join(" ") }));
    }
    if (point) {
      if (radiusM) svg.append(this.node("circle", { class: "accuracy", cx: 150, cy: 150, r: radiusM * scale }));
      svg.append(this.node("circle", { class: "point", cx: 150, cy: 150, r: 5 }));
    }
    const bar = this.niceLength(extent / 2);
    svg.append(this.node("line", { class: "scale", x1: 10, y1: 288, x2: 10 + bar * scale, y2: 288 }));
    svg.append(this.text(10, 282, `${bar} ม. / m`, "start"));
  },
  rings(geometry) {
    if (geometry.type === "Polygon") return geometry.coordinates;
    if (geometry.type === "MultiPolygon") return geometry.coordinates.flat();
    return [];
  },
  niceLength(metres) {
    const steps = [5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
    return steps.find((step) => step >= metres / 2) || steps[steps.length - 1];
  },
  node(tag, attributes) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    return node;
  },
  text(x, y, content, anchor = "middle") {
    const node = this.node("text", { x, y, "text-anchor": anchor });
    node.textContent = content;
    return node;
  },
};
