// Small plane geometry on WGS84 longitude/latitude, enough to decide which polygon a point lies in.
// Fine for town-sized areas; not for anything near the poles or the antimeridian.

export type Ring = number[][];
export type PolygonGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether the point [lon, lat] lies inside the polygon (holes excluded). */
export function containsPoint(geometry: PolygonGeometry, lon: number, lat: number): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some(([outer, ...holes]) => !!outer && inRing(lon, lat, outer) && !holes.some((h) => inRing(lon, lat, h)));
}

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

export function boundsOf(geometry: PolygonGeometry): Bounds {
  const b: Bounds = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const [lon = 0, lat = 0] of polygon[0] ?? []) {
      b.west = Math.min(b.west, lon);
      b.east = Math.max(b.east, lon);
      b.south = Math.min(b.south, lat);
      b.north = Math.max(b.north, lat);
    }
  }
  return b;
}

/**
 * Points of a regular grid (about `stepMetres` apart on the ground) that fall inside the polygon.
 * Each point stands for the same area, so counting points measures overlaps.
 */
export function gridPoints(geometry: PolygonGeometry, stepMetres: number): Array<[number, number]> {
  const b = boundsOf(geometry);
  const stepLat = stepMetres / 111_320;
  const stepLon = stepLat / Math.cos((((b.south + b.north) / 2) * Math.PI) / 180);
  const points: Array<[number, number]> = [];
  // Cell centres, so a grid never starts exactly on an edge.
  for (let lat = b.south + stepLat / 2; lat < b.north; lat += stepLat) {
    for (let lon = b.west + stepLon / 2; lon < b.east; lon += stepLon) {
      if (containsPoint(geometry, lon, lat)) points.push([lon, lat]);
    }
  }
  return points;
}

/** The first area whose geometry holds the point [lon, lat], or undefined (outside every one, or not a number). */
export function findContaining<T extends { geometry: PolygonGeometry | null }>(areas: readonly T[], lon: number, lat: number): T | undefined {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
  return areas.find((a) => a.geometry !== null && containsPoint(a.geometry, lon, lat));
}

/**
 * A position rounded to a grid of about 100 m, so that what is kept cannot point at a house:
 * 0.001° of latitude is 111 m everywhere; a degree of longitude shrinks with the cosine of the
 * latitude, so the longitude step is widened to keep cells about as wide as tall (at Corby,
 * 52.5° N: 0.0017°, about 115 m). Imports nothing, so the browser bundle can use it offline.
 */
export function roundToAbout100m(lon: number, lat: number): { lon: number; lat: number } {
  const latStep = 0.001;
  const lonStep = Math.min(0.01, Math.ceil((latStep / Math.max(Math.cos((lat * Math.PI) / 180), 0.1)) * 10000) / 10000);
  const snap = (v: number, step: number) => Number((Math.round(v / step) * step).toFixed(4));
  return { lon: snap(lon, lonStep), lat: snap(lat, latStep) };
}
