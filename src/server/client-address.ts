import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { TrustProxy } from './config.ts';
import type { AppEnv } from './context.ts';

/** What app.request() in tests gets instead of a socket address. */
export const IN_PROCESS = 'in-process';

/** "::ffff:10.0.0.1" → "10.0.0.1", "[::1]:443" → "::1", "10.0.0.1:8080" → "10.0.0.1"; anything else unchanged. */
export function normaliseAddress(raw: string): string {
  let a = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed?.[1]) a = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
  return a;
}

const lists = new WeakMap<string[], BlockList>();

function rangeList(ranges: string[]): BlockList {
  let list = lists.get(ranges);
  if (!list) {
    list = new BlockList();
    for (const entry of ranges) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(normaliseAddress(address), family);
      else list.addSubnet(normaliseAddress(address), Number(prefix), family);
    }
    lists.set(ranges, list);
  }
  return list;
}

function inRanges(address: string, ranges: string[]): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return rangeList(ranges).check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client address as the nearest trusted proxy saw it. Only when the socket peer is itself a
 * trusted proxy do we read X-Forwarded-For, and then from the right (each proxy appends the
 * address it saw), skipping trusted proxies and taking the first untrusted hop. Entries to the
 * left of that are whatever the client chose to send, so they are never used.
 */
export function resolveClientAddress(socket: string, forwardedFor: string | undefined, trust: TrustProxy): string {
  const peer = normaliseAddress(socket);
  if (trust.kind === 'none' || (trust.kind === 'hops' && trust.hops === 0) || !forwardedFor) return peer;
  const isTrusted = (address: string, index: number) => (trust.kind === 'hops' ? index < trust.hops : inRanges(address, trust.ranges));
  if (!isTrusted(peer, 0)) return peer;
  const hops = forwardedFor.split(',').map(normaliseAddress).filter((e) => e !== '').reverse();
  let nearest = peer;
  for (const [i, hop] of hops.entries()) {
    // A malformed entry cannot be an address a proxy saw: keep the last address we trust.
    if (isIP(hop) === 0) return nearest;
    if (!isTrusted(hop, i + 1)) return hop;
    nearest = hop;
  }
  return nearest;
}

/** The TCP peer of this request: the only address a client cannot forge. */
export function socketAddress(c: Context<AppEnv>): string {
  try {
    return normaliseAddress(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    return IN_PROCESS;
  }
}

/** The client address for rate limits (the socket's; X-Forwarded-For only from a trusted proxy). */
export function clientKey(c: Context<AppEnv>): string {
  const socket = socketAddress(c);
  if (socket === IN_PROCESS) return socket;
  return resolveClientAddress(socket, c.req.header('x-forwarded-for'), c.get('deps').config.trustProxy);
}

function isLoopback(address: string): boolean {
  return address === IN_PROCESS || address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/**
 * A request from this machine (the development mailbox). Decided by the socket address; a
 * forwarding header can only close it (a reverse proxy on this machine relaying someone else),
 * never open it.
 */
export function isLocalRequest(c: Context<AppEnv>): boolean {
  if (!isLoopback(socketAddress(c))) return false;
  return c.req.header('x-forwarded-for') === undefined && c.req.header('forwarded') === undefined;
}
