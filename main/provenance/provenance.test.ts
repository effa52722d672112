import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertRan, ferry, jsonOf, missingTools, tempDir } from '../testing/cli.js';
import {
  attachSbomReferrer,
  cosignAttest,
  cosignSign,
  DSSE,
  getBlob,
  getManifest,
  opensslKeyPair,
  opensslVerifies,
  pae,
  putManifest,
  pushBlob,
  SIGNATURE_ANNOTATION,
} from '../testing/cosign-fixture.js';
import { makeImageLayout, skopeoCopy, type ImageLayout } from '../testing/oci-fixture.js';
import { startFaultProxy } from '../testing/fault-proxy.js';
import { startReferrersRegistry, type ReferrersRegistry } from '../testing/referrers-proxy.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';
import { TRANSFER_PREDICATE_TYPE } from './statement.js';

const PUBLISHER_PREDICATE = 'https://slsa.dev/provenance/v1';

interface Pushed {
  kind: string;
  ref: string;
  digest: string;
  destination: string;
  attestation?: { envelope: string; manifest: string; stored: string; where: string };
  attached?: number;
  attachment?: { kind: string; subject: string };
  attestationProblem?: string;
}

/** registry host, repository of a destination such as 127.0.0.1:5000/airgap/library/demo:1.0 */
function repositoryOf(destination: string): string {
  return destination.replace(/^[^/]+\//, '').replace(/[:@].*$/, '');
}

describe('provenance that travels: the source signatures carried, a signed transfer attestation attached', async () => {
  const skip = await missingTools(['docker-registry', 'skopeo', 'openssl']);
  let work: string;
  let source: TestRegistry;
  let target: TestRegistry;
  let withApi: TestRegistry;
  let referrers: ReferrersRegistry;
  let image: ImageLayout;
  let publisher: { key: string; pub: string };
  let signed: Awaited<ReturnType<typeof cosignSign>>;
  let attested: Awaited<ReturnType<typeof cosignAttest>>;
  let sbom: { digest: string; size: number };
  let homeA: string;
  let homeB: string;
  let pubA: string;
  let pubB: string;
  let bundle: string;
  let bundleDigest: string;
  let pushed: Pushed[];
  let values: string;
  const subject = () => image.indexDigest;

  before(async () => {
    if (skip) return;
    work = await tempDir('provenance');
    [source, target, withApi] = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
    referrers = await startReferrersRegistry({ host: '127.0.0.1', port: withApi.port });
    image = await makeImageLayout(path.join(work, 'image'), { tag: '1.0', platforms: [{ os: 'linux', architecture: 'amd64' }], layerSizes: [4096] });
    await skopeoCopy(`oci:${image.dir}:1.0`, `docker://${source.host}/library/demo:1.0`);
    publisher = await opensslKeyPair(work, 'publisher');
    signed = await cosignSign(work, source.url, source.host, 'library/demo', subject(), publisher.key);
    attested = await cosignAttest(work, source.url, 'library/demo', subject(), publisher.key, PUBLISHER_PREDICATE);
    const manifest = (await getManifest(source.url, 'library/demo', subject()))!;
    sbom = await attachSbomReferrer(source.url, 'library/demo', { digest: subject(), size: manifest.bytes.length, mediaType: image.mediaType }, true);

    homeA = path.join(work, 'home-a');
    homeB = path.join(work, 'home-b');
    pubA = path.join(work, 'a.pub.pem');
    pubB = path.join(work, 'b.pub.pem');
    bundle = path.join(work, 'usb', 'signed');
    const exported = await ferry(homeA, ['export', '--out', bundle, '--plain-http', '--image', `${source.host}/library/demo:1.0`, '--json']);
    assertRan(exported, 'ferry export');
    bundleDigest = jsonOf(exported).result.bundleDigest;
    assertRan(await ferry(homeA, ['keys', 'export-public', pubA]), 'keys export-public');
    assertRan(await ferry(homeB, ['keys', 'export-public', pubB]), 'keys export-public');
    const imported = await ferry(homeB, ['import', bundle, '--trust', pubA, '--to-registry', `${target.host}/airgap`, '--plain-http', '--json']);
    assertRan(imported, 'ferry import');
    pushed = jsonOf(imported).result.artifacts;
    values = jsonOf(imported).result.values;
  });
  after(async () => {
    await referrers?.stop();
    await Promise.all([source?.stop(), target?.stop(), withApi?.stop()]);
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('the bundle carries the .sig, the .att and the referrer, byte-exact, each naming its subject', { skip }, async () => {
    const index = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8')) as { artifacts: Record<string, unknown>[] };
    const attached = index.artifacts.filter((a) => a.subject === subject());
    assert.deepEqual(attached.map((a) => a.attachment).sort(), ['attestation', 'referrer', 'signature']);
    assert.equal(attached.find((a) => a.attachment === 'signature')!.digest, signed.digest);
    assert.equal(attached.find((a) => a.attachment === 'attestation')!.digest, attested.digest);
    assert.equal(attached.find((a) => a.attachment === 'referrer')!.digest, sbom.digest);
    // The ledger lists them with the request the approval covers.
    const report = jsonOf(await ferry(homeA, ['ledger', 'report', bundleDigest, '--json'])).result;
    assert.equal(report.artifacts.length, 4);
  });

  test('--no-signatures leaves them out', { skip }, async () => {
    const plain = path.join(work, 'usb', 'unsigned');
    assertRan(await ferry(homeA, ['export', '--out', plain, '--plain-http', '--no-signatures', '--image', `${source.host}/library/demo:1.0`]), 'export');
    const index = JSON.parse(await fs.readFile(path.join(plain, 'BUNDLE.json'), 'utf8')) as { artifacts: Record<string, unknown>[] };
    assert.equal(index.artifacts.length, 1);
  });

  test("in the internal registry the .sig keeps its digest and the publisher's signature still verifies with openssl", { skip }, async () => {
    const image = pushed.find((p) => !p.attachment)!;
    assert.equal(image.attached, 3);
    assert.equal(values.includes('.sig'), false, 'the Helm values name the image, not its signature');
    assert.ok(values.includes(subject()));
    const repository = repositoryOf(image.destination);
    const sig = (await getManifest(target.url, repository, `${subject().replace(':', '-')}.sig`))!;
    assert.equal(sig.digest, signed.digest);
    const layer = sig.json.layers[0];
    const payload = await getBlob(target.url, repository, layer.digest);
    assert.ok(await opensslVerifies(work, publisher.pub, payload, Buffer.from(layer.annotations[SIGNATURE_ANNOTATION], 'base64')));
    assert.equal(JSON.parse(payload.toString('utf8')).critical.image['docker-manifest-digest'], subject());
    // The referrer crossed too, and the fallback tag lists it on this registry without the referrers API.
    const fallback = (await getManifest(target.url, repository, subject().replace(':', '-')))!;
    assert.deepEqual(
      fallback.json.manifests.map((m: { digest: string }) => m.digest),
      [sbom.digest],
    );
  });

  test(
    "the .att keeps the publisher's layer byte-exact and adds Ferry's envelope, which openssl verifies with the importing site's key",
    { skip },
    async () => {
      const image = pushed.find((p) => !p.attachment)!;
      assert.equal(image.attestation?.stored, 'tag');
      const repository = repositoryOf(image.destination);
      const att = (await getManifest(target.url, repository, `${subject().replace(':', '-')}.att`))!;
      assert.equal(att.json.layers.length, 2);
      assert.equal(att.json.layers[0].digest, attested.layer.digest, "the publisher's attestation layer is unchanged");
      const ours = att.json.layers[1];
      assert.equal(ours.mediaType, DSSE);
      assert.equal(ours.annotations.predicateType, TRANSFER_PREDICATE_TYPE);
      assert.equal(ours.digest, image.attestation!.envelope);
      const envelope = JSON.parse((await getBlob(target.url, repository, ours.digest)).toString('utf8'));
      const payload = Buffer.from(envelope.payload, 'base64');
      assert.ok(await opensslVerifies(work, pubB, pae(envelope.payloadType, payload), Buffer.from(envelope.signatures[0].sig, 'base64')));
      assert.equal(await opensslVerifies(work, pubA, pae(envelope.payloadType, payload), Buffer.from(envelope.signatures[0].sig, 'base64')), false);
      const statement = JSON.parse(payload.toString('utf8'));
      assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
      assert.equal(`sha256:${statement.subject[0].digest.sha256}`, subject());
      assert.equal(statement.subject[0].name, `${target.host}/${repository}`);
      assert.equal(statement.predicate.bundle.digest, bundleDigest);
      assert.equal(statement.predicate.exporter.checkpointValid, true);
      // The ledger records it per artifact.
      const completed = jsonOf(await ferry(homeB, ['ledger', 'show', '--type', 'import.completed', '--json'])).result.entries[0].event;
      const row = completed.artifacts.find((a: Pushed) => !a.attachment);
      assert.equal(row.attestation.envelope, ours.digest);
      assert.equal(row.attached, 3);
    },
  );

  test('ferry provenance verify prints the transfer, and refuses (exit 3) a tampered envelope or a key that did not sign it', { skip }, async () => {
    const image = pushed.find((p) => !p.attachment)!;
    const ref = image.destination;
    const ok = await ferry(homeB, ['provenance', 'verify', ref, '--plain-http']);
    assertRan(ok, 'provenance verify');
    assert.match(ok.stdout, /VALID {2}attestation/);
    assert.ok(ok.stdout.includes(bundleDigest));
    assert.equal((await ferry(homeA, ['provenance', 'verify', ref, '--plain-http', '--key', pubA])).code, 3, "site A's key did not sign it");
    assert.equal((await ferry(homeA, ['provenance', 'verify', ref, '--plain-http', '--key', pubB])).code, 0, 'anyone with the site key checks it');

    // Alter the statement in the envelope (the subject and signature kept) and attach it in place of Ferry's.
    const repository = repositoryOf(image.destination);
    const tag = `${subject().replace(':', '-')}.att`;
    const att = (await getManifest(target.url, repository, tag))!;
    const envelope = JSON.parse((await getBlob(target.url, repository, att.json.layers[1].digest)).toString('utf8'));
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    statement.predicate.bundle.name = 'something-else';
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    const forged = await pushBlob(target.url, repository, Buffer.from(JSON.stringify(envelope)));
    const layers = [att.json.layers[0], { ...att.json.layers[1], digest: forged.digest, size: forged.size }];
    await putManifest(target.url, repository, tag, Buffer.from(JSON.stringify({ ...att.json, layers })));
    const refused = await ferry(homeB, ['provenance', 'verify', ref, '--plain-http']);
    assert.equal(refused.code, 3, refused.stdout);
    assert.match(refused.stdout, /NOT VALID .*\n.*signature does not verify/);
    await putManifest(target.url, repository, tag, att.bytes);
  });

  test('a registry that answers the referrers API gets the referrer and the attestation as OCI 1.1 referrers', { skip }, async () => {
    const imported = await ferry(homeB, ['import', bundle, '--trust', pubA, '--to-registry', `${referrers.host}/mirror`, '--plain-http', '--json']);
    assertRan(imported, 'import to the registry with the referrers API');
    const image = (jsonOf(imported).result.artifacts as Pushed[]).find((p) => !p.attachment)!;
    assert.equal(image.attestation?.stored, 'referrer');
    assert.ok(referrers.queries > 0, 'the push asked the referrers API');
    const repository = repositoryOf(image.destination);
    const listed = (await (await fetch(`${referrers.url}/v2/${repository}/referrers/${subject()}`)).json()) as {
      manifests: { digest: string; artifactType?: string }[];
    };
    assert.deepEqual(listed.manifests.map((m) => m.digest).sort(), [sbom.digest, image.attestation!.manifest].sort());
    assert.equal(listed.manifests.find((m) => m.digest === image.attestation!.manifest)!.artifactType, DSSE);
    assert.equal(await getManifest(referrers.url, repository, subject().replace(':', '-')), undefined, 'no fallback tag where the API answers');
    const verified = await ferry(homeB, ['provenance', 'verify', image.destination, '--plain-http', '--json']);
    assertRan(verified, 'provenance verify');
    const found = jsonOf(verified).result.attestations;
    assert.ok(found.some((a: { stored: string; valid: boolean }) => a.stored === 'referrer' && a.valid));
  });

  test('a registry that refuses the attestation tag leaves the image pushed and says why, rather than failing the import', { skip }, async () => {
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: target.port });
    try {
      proxy.inject({
        method: 'PUT',
        path: /\/manifests\/sha256-[0-9a-f]{64}\.att$/,
        times: 100,
        action: { kind: 'status', status: 403, body: '{"errors":[{"code":"DENIED","message":"tag immutability"}]}' },
      });
      // The bundle without the publisher's .att: here only Ferry's own attestation goes to that tag. (A carried
      // signature the registry refuses fails the import, as any manifest of the bundle does.)
      const unsigned = path.join(work, 'usb', 'unsigned');
      const imported = await ferry(homeB, ['import', unsigned, '--trust', pubA, '--to-registry', `${proxy.host}/guarded`, '--plain-http', '--json']);
      assertRan(imported, 'import through a registry refusing .att tags');
      const rows = jsonOf(imported).result.artifacts as Pushed[];
      const image = rows.find((p) => !p.attachment)!;
      assert.equal(image.attestation, undefined);
      assert.match(image.attestationProblem!, /did not take the transfer attestation/);
      assert.equal(rows.length, 1, 'the image alone, pushed');
      const completed = (
        jsonOf(await ferry(homeB, ['ledger', 'show', '--type', 'import.completed', '--json'])).result.entries as { event: { artifacts: Pushed[] } }[]
      ).at(-1)!.event;
      assert.match(completed.artifacts.find((a) => !a.attachment)!.attestationProblem!, /403|DENIED|denied/i);
    } finally {
      await proxy.stop();
    }
  });
});
