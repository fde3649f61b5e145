import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { ErrorCode, QuireError } from "../errors.js";

/**
 * Refuses outbound targets that are not public unicast addresses: loopback, private
 * (RFC 1918, ULA), link-local (cloud metadata lives at 169.254.169.254 and fd00:ec2::254),
 * CGNAT, multicast, unspecified, reserved and the IPv6 transition ranges that embed IPv4
 * addresses (IPv4-mapped addresses are judged by the IPv4 address they carry).
 */
export function isPublicAddress(address: string): boolean {
  return parseAddress(address)?.range() === "unicast";
}

/** The address as ipaddr.js sees it, IPv4-mapped IPv6 unwrapped to the IPv4 it carries; null if invalid. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(address)) return null;
  const ip = ipaddr.parse(address);
  return ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? (ip as ipaddr.IPv6).toIPv4Address() : ip;
}

export interface TargetPolicy {
  /** Development and tests only: allow loopback and private targets. */
  allowPrivate: boolean;
  /** Non-public CIDRs allowed anyway (e.g. an internal file server), everything else still refused. */
  allowCidrs?: readonly string[];
}

/** True when the policy lets a connection reach this address. */
export function isAllowedAddress(address: string, policy: TargetPolicy): boolean {
  if (policy.allowPrivate || isPublicAddress(address)) return true;
  const ip = parseAddress(address);
  if (!policy.allowCidrs?.length || !ip) return false;
  return policy.allowCidrs.some((cidr) => {
    const [range, bits] = ipaddr.parseCIDR(cidr);
    return range.kind() === ip.kind() && ip.match(range, bits);
  });
}

const LOOPBACK_NAME = /^(?:.+\.)?localhost\.?$/iu;

/** Throws TARGET_NOT_ALLOWED unless the URL is http(s) and (when literal) a public address. */
export function checkTargetUrl(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new QuireError(ErrorCode.InvalidArgument, `not a valid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new QuireError(ErrorCode.InvalidArgument, `only http and https URLs are allowed, not ${url.protocol}`);
  if (url.username || url.password)
    throw new QuireError(ErrorCode.InvalidArgument, "URLs with credentials are not allowed; pass a signed URL instead");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !isAllowedAddress(host, policy)) throw refused(url.hostname, host);
  // Names that mean this machine whatever DNS says (RFC 6761): refused now, like 127.0.0.1,
  // rather than at the first connection.
  if (LOOPBACK_NAME.test(host) && !isAllowedAddress("127.0.0.1", policy)) throw refused(url.hostname, "127.0.0.1");
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls connect options: resolves the name, then refuses the connection if
 * any address is not public. Checking after resolution (and on every connection, so on every
 * redirect) defeats DNS names that point at internal addresses.
 */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.find((a) => !isAllowedAddress(a.address, policy));
      if (bad) return callback(refused(hostname, bad.address), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

export function refused(host: string, address: string): QuireError {
  return new QuireError(
    ErrorCode.TargetNotAllowed,
    `refusing ${host}: it resolves to ${address}, which is not a public address (set QUIRE_ALLOW_PRIVATE_TARGETS=true only for local development)`,
    { host, address },
  );
}
