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
// Coverage colours match the legend on the page (and the table says the same in words). Each
// differs from BASE, so a coloured coverage map can be told from a plain one.
const COVERAGE: Record<string, L.PathOptions> = {
  none: { color: '#1b1b1f', weight: 2, fillColor: '#d7263d', fillOpacity: 0.6 },
  some: { color: '#073763', weight: 2, fillColor: '#3d85c6', fillOpacity: 0.6 },
  good: { color: '#073763', weight: 2, fillColor: '#1d6b38', fillOpacity: 0.6 },
};

// The needs picture's choropleth (src/modules/intelligence/pages-needs.tsx): no reports, three
// rising shades of the published totals, and hidden (suppressed) wards hatched grey in the legend.
const CHOROPLETH: Record<string, L.PathOptions> = {
  n0: { color: '#4a4a55', weight: 1, fillColor: '#f4f4f6', fillOpacity: 0.7 },
  n1: { color: '#073763', weight: 2, fillColor: '#c6dbef', fillOpacity: 0.75 },
  n2: { color: '#073763', weight: 2, fillColor: '#6baed6', fillOpacity: 0.75 },
  n3: { color: '#073763', weight: 2, fillColor: '#08519c', fillOpacity: 0.75 },
  c: { color: '#1b1b1f', weight: 2, fillColor: '#9a9aa5', fillOpacity: 0.6, dashArray: '4 3' },
};

/** A tooltip body holding the ward name as text, never as markup. */
export function tooltipFor(name: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = name;
  return el;
}

/**
 * Where the map starts. On a phone, big rural wards would shrink the town's wards below a
 * comfortable tap size, so it starts on the wards of ordinary size; the rest is a pan away.
 * Not on the join form, where the list is the main control and nothing may spill over it.
 */
function startBounds(layer: L.GeoJSON, width: number): L.LatLngBounds {
  const all = layer.getBounds();
  if (width >= 640) return all;
  const boxes = layer.getLayers().map((l) => (l as L.Polygon).getBounds());
  const size = (b: L.LatLngBounds) => (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
  const sizes = boxes.map(size).sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
  const ordinary = boxes.filter((b) => size(b) <= 4 * median);
  if (!ordinary.length || ordinary.length === boxes.length) return all;
  return ordinary.reduce((acc, b) => acc.extend(b), L.latLngBounds(ordinary[0]!.getSouthWest(), ordinary[0]!.getNorthEast()));
}

async function draw(el: HTMLElement): Promise<void> {
  const url = el.dataset.geojson;
  if (!url) return;
  const highlight = el.dataset.highlight;
  const coverage = el.dataset.coverage ? (JSON.parse(el.dataset.coverage) as Record<string, string>) : undefined;
  const choropleth = el.dataset.choropleth ? (JSON.parse(el.dataset.choropleth) as Record<string, string>) : undefined;
  // On the join form, tapping a ward chooses it in the form's select instead of opening it.
  const select = el.dataset.select ? (document.getElementById(el.dataset.select) as HTMLSelectElement | null) : null;
  const open = (props: WardProps) => {
    if (select) {
      select.value = props.code;
      select.dispatchEvent(new Event('change'));
      select.focus();
    } else window.location.href = props.url;
  };
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
    style: (f) => {
      const code = f?.properties.code ?? '';
      if (coverage) return COVERAGE[coverage[code] ?? 'none'] ?? BASE;
      if (choropleth) return CHOROPLETH[choropleth[code] ?? 'n0'] ?? BASE;
      return !highlight ? BASE : code === highlight ? HIGHLIGHT : DIM;
    },
    onEachFeature: (feature, lyr) => {
      const props = feature.properties;
      // Leaflet puts a string tooltip in as HTML; names come from loaded files, so pass an element.
      lyr.bindTooltip(tooltipFor(props.name), { sticky: true });
      lyr.on('click', () => open(props));
      lyr.on('add', () => {
        const path = (lyr as L.Path).getElement();
        if (!path) return;
        // Keyboard users can reach and open each ward too.
        path.setAttribute('tabindex', '0');
        path.setAttribute('role', select ? 'button' : 'link');
        path.setAttribute('aria-label', props.name);
        path.addEventListener('keydown', (ev) => {
          if ((ev as KeyboardEvent).key === 'Enter') open(props);
        });
      });
    },
  }).addTo(map);
  const target = highlight ? layer.getLayers().find((l) => (l as L.GeoJSON).feature && ((l as L.GeoJSON).feature as GeoJSON.Feature<GeoJSON.Geometry, WardProps>).properties.code === highlight) : undefined;
  const bounds = target && 'getBounds' in target ? (target as L.Polygon).getBounds() : startBounds(layer, select ? Infinity : el.clientWidth);
  map.fitBounds(bounds, { padding: [12, 12] });
  el.dataset.ready = String(data.features.length);
}

for (const el of document.querySelectorAll<HTMLElement>('[data-geojson]')) {
  void draw(el);
}
