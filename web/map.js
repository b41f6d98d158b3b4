/*
 * portguard web console: the site map (Leaflet from npm, embedded as vendor/leaflet/).
 * No tiles (the console runs without internet): the zones' GeoJSON polygons are the base
 * picture; pages add named point layers (sensors, cameras, alarms; vessels later).
 *
 *   const m = window.portguard.map.create(div);
 *   m.setZones(zones);                      // [{id, name, kind, geometry}]
 *   m.setPoints('alarms', points);          // [{id, lat, lon, label, color, radius, onClick}]
 *   m.fit();  m.destroy();
 *   m.zoneCentre(zone)                      // [lat, lon] of a zone's polygon, or null
 *   window.portguard.map.textNode(s)        // a tooltip's text as a DOM node
 * Labels are text (tooltips are built as DOM text nodes, never HTML).
 */
'use strict';

(function () {
  const pg = (window.portguard = window.portguard || { modules: [] });
  const DEFAULT_CENTRE = [51.95, 4.05];
  const ZONE_COLOURS = { public: '#7a8a99', controlled: '#1d5ea8', restricted: '#d3540b', high_security: '#b3261e' };

  function textNode(s) {
    const span = document.createElement('span');
    span.textContent = String(s);
    return span;
  }

  function ringCentre(geometry) {
    if (!geometry || geometry.type !== 'Polygon' || !Array.isArray(geometry.coordinates)) return null;
    const ring = geometry.coordinates[0];
    if (!Array.isArray(ring) || ring.length === 0) return null;
    let lat = 0, lon = 0, n = 0;
    for (const p of ring) {
      if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') continue;
      lon += p[0]; lat += p[1]; n += 1;
    }
    return n ? [lat / n, lon / n] : null;
  }

  function create(container) {
    const L = window.L;
    if (!L || !container) return null;
    const map = L.map(container, { attributionControl: false, zoomSnap: 0.5 }).setView(DEFAULT_CENTRE, 14);
    const layers = {};
    const layer = (name) => {
      if (!layers[name]) layers[name] = L.featureGroup().addTo(map);
      return layers[name];
    };

    function setZones(zones) {
      const g = layer('zones');
      g.clearLayers();
      for (const z of zones || []) {
        if (!z || !z.geometry || typeof z.geometry !== 'object') continue;
        try {
          const colour = ZONE_COLOURS[z.kind] || '#4a5a6a';
          L.geoJSON(z.geometry, { style: { color: colour, weight: 2, fillOpacity: 0.08 } })
            .bindTooltip(textNode(z.name), { sticky: true })
            .addTo(g);
        } catch (e) { /* a geometry Leaflet cannot draw is left out */ }
      }
      g.bringToBack();
    }

    function setPoints(name, points) {
      const g = layer(name);
      g.clearLayers();
      for (const p of points || []) {
        if (!p || typeof p.lat !== 'number' || typeof p.lon !== 'number') continue;
        const m = L.circleMarker([p.lat, p.lon], {
          radius: p.radius || 6, color: p.color || '#1d5ea8', weight: 2,
          fillColor: p.color || '#1d5ea8', fillOpacity: p.fillOpacity === undefined ? 0.6 : p.fillOpacity,
        });
        if (p.label) m.bindTooltip(textNode(p.label));
        if (typeof p.onClick === 'function') m.on('click', () => p.onClick(p));
        m.addTo(g);
      }
      if (name !== 'zones') g.bringToFront();
    }

    function fit() {
      let b = null;
      for (const g of Object.values(layers)) {
        const gb = g.getBounds();
        if (gb && gb.isValid()) b = b ? b.extend(gb) : L.latLngBounds(gb.getSouthWest(), gb.getNorthEast());
      }
      if (b && b.isValid()) map.fitBounds(b, { padding: [20, 20], maxZoom: 17 });
    }

    return {
      leaflet: map,
      layer: layer,
      setZones: setZones,
      setPoints: setPoints,
      fit: fit,
      zoneCentre: (z) => ringCentre(z && z.geometry),
      destroy: () => map.remove(),
    };
  }

  pg.map = { create: create, textNode: textNode };
})();
