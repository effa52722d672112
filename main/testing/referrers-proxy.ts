/**
 * The harness's registry with the OCI 1.1 referrers API, which Debian's docker-registry 2.8 lacks:
 * a reverse proxy in front of one that notes every manifest PUT naming a `subject` (as a registry
 * with the API indexes it) and answers GET /v2/<name>/referrers/<digest> with an image index of
 * them. Everything else passes through untouched, the Host header kept so Location URLs point back here.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export interface ReferrersRegistry {
  host: string;
  url: string;
  /** How many times the referrers API was asked. */
  queries: number;
  stop(): Promise<void>;
}

interface Referrer {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

function headersOf(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out[raw[i]!] = raw[i + 1]!;
  return out;
}

function referrerOf(body: Buffer, contentType: string): { subject: string; referrer: Referrer } | undefined {
  try {
    const json = JSON.parse(body.toString('utf8')) as {
      subject?: { digest?: string };
      artifactType?: string;
      config?: { mediaType?: string };
      annotations?: Record<string, string>;
    };
    if (!json.subject?.digest) return undefined;
    const artifactType = json.artifactType ?? json.config?.mediaType;
    return {
      subject: json.subject.digest,
      referrer: {
        mediaType: contentType,
        digest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
        size: body.length,
        ...(artifactType ? { artifactType } : {}),
        ...(json.annotations ? { annotations: json.annotations } : {}),
      },
    };
  } catch {
    return undefined;
  }
}

export async function startReferrersRegistry(target: { host: string; port: number }): Promise<ReferrersRegistry> {
  const referrers = new Map<string, Referrer[]>();
  const agent = new http.Agent({ keepAlive: true });
  const state = { queries: 0 };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const asked = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})(\?.*)?$/.exec(url);
    if (req.method === 'GET' && asked) {
      state.queries++;
      const listed = referrers.get(`${asked[1]} ${asked[2]}`) ?? [];
      res.writeHead(200, { 'content-type': OCI_INDEX });
      res.end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: listed }));
      return;
    }
    const chunks: Buffer[] = [];
    const isManifestPut = req.method === 'PUT' && /^\/v2\/.+\/manifests\/[^/]+$/.test(url);
    req.on('data', (c: Buffer) => {
      if (isManifestPut) chunks.push(c);
    });
    const upstream = http.request({ host: target.host, port: target.port, method: req.method, path: url, headers: headersOf(req.rawHeaders), agent }, (up) => {
      if (isManifestPut && up.statusCode === 201) {
        const found = referrerOf(Buffer.concat(chunks), String(req.headers['content-type'] ?? ''));
        const name = /^\/v2\/(.+)\/manifests\//.exec(url)![1]!;
        if (found) {
          const key = `${name} ${found.subject}`;
          const listed = (referrers.get(key) ?? []).filter((r) => r.digest !== found.referrer.digest);
          referrers.set(key, [...listed, found.referrer]);
        }
      }
      res.writeHead(up.statusCode ?? 502, headersOf(up.rawHeaders));
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    get queries() {
      return state.queries;
    },
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
