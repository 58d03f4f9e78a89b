// Draws the wards from our own GeoJSON with Leaflet. No tile server: the map is the wards only.
// Progressive enhancement: the page already lists every ward in a table with links.
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';

interface WardProps {
  code: string;
  name: string;
  url: string;
}

const BASE = { color: '#073763', weight: 2, fillColor: '#6fa8dc', fillOpacity: 0.45 };
const HIGHLIGHT = { color: '#1b1b1f', weight: 3, fillColor: '#ffd166', fillOpacity: 0.8 };
const DIM = { color: '#4a4a55', weight: 1, fillColor: '#cfd8e3', fillOpacity: 0.4 };

async function draw(el: HTMLElement): Promise<void> {
  const url = el.dataset.geojson;
  if (!url) return;
  const highlight = el.dataset.highlight;
  const res = await fetch(url, { headers: { Accept: 'application/geo+json' } });
  if (!res.ok) return;
  const data = (await res.json()) as GeoJSON.FeatureCollection<GeoJSON.Geometry, WardProps>;
  el.replaceChildren();
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: false, scrollWheelZoom: false });
  map.zoomControl.remove();
  L.control
    .zoom({ zoomInTitle: el.dataset.zoomIn ?? 'Zoom in', zoomOutTitle: el.dataset.zoomOut ?? 'Zoom out' })
    .addTo(map);
  L.control.attribution({ prefix: false }).addAttribution('<a href="/about#sources">ONS · OS</a>').addTo(map);
  const layer = L.geoJSON(data, {
    style: (f) => (!highlight ? BASE : f?.properties.code === highlight ? HIGHLIGHT : DIM),
    onEachFeature: (feature, lyr) => {
      const props = feature.properties;
      lyr.bindTooltip(props.name, { sticky: true });
      lyr.on('click', () => {
        window.location.href = props.url;
      });
      lyr.on('add', () => {
        const path = (lyr as L.Path).getElement();
        if (!path) return;
        // Keyboard users can reach and open each ward too.
        path.setAttribute('tabindex', '0');
        path.setAttribute('role', 'link');
        path.setAttribute('aria-label', props.name);
        path.addEventListener('keydown', (ev) => {
          if ((ev as KeyboardEvent).key === 'Enter') window.location.href = props.url;
        });
      });
    },
  }).addTo(map);
  const target = highlight ? layer.getLayers().find((l) => (l as L.GeoJSON).feature && ((l as L.GeoJSON).feature as GeoJSON.Feature<GeoJSON.Geometry, WardProps>).properties.code === highlight) : undefined;
  const bounds = target && 'getBounds' in target ? (target as L.Polygon).getBounds() : layer.getBounds();
  map.fitBounds(bounds, { padding: [12, 12] });
  el.dataset.ready = String(data.features.length);
}

for (const el of document.querySelectorAll<HTMLElement>('[data-geojson]')) {
  void draw(el);
}
