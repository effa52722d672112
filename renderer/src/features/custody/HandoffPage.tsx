import HandshakeOutlinedIcon from '@mui/icons-material/HandshakeOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormLabel from '@mui/material/FormLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId, useMemo, useState } from 'react';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { Section } from '../../components/Section';
import { ferry, toErrorEnvelope } from '../../client';
import { useAppInfo } from '../../core/appInfoStore';
import { hrefs, replaceQuery, useRouteQuery } from '../../core/router';
import { useReport } from '../../domain/ledger/report';
import { useBundlePage } from '../../domain/ledger/bundles';
import { BundlePicker, fullDigest } from '../../domain/ledger/BundlePicker';
import { serverStateChanged } from '../../core/serverState';
import { EarlierHandoffs } from './EarlierHandoffs';
import { HandoffNotices } from './HandoffNotices';
import { handoffProblem, matchBundle, typedMedia, type Seal } from './handoff';
import type { SignAs } from '../../../../shared/rpc.js';
import { OptionalSignature, signatureProblem } from '../../domain/people/OptionalSignature';

/** Sneakernet: custody handoffs of a bundle's media (from, to, place, seal intact), each a ledger event. */
export function HandoffPage() {
  const query = useRouteQuery();
  const wanted = query.get('bundle') ?? '';
  // ?bundle= names a digest or a prefix of one: the engine finds it (two answers say whether it is unique).
  const { page: found, error: bundlesError, loading: bundlesLoading, reload: reloadBundles } = useBundlePage(wanted.replace(/^sha256:/, ''), 0, 2);
  const bundles = found?.bundles ?? null;
  const operator = useAppInfo((s) => s.info?.operator);

  const [bundle, setBundle] = useState('');
  const { report, error: reportError, loading: reportLoading, reload } = useReport(bundle || undefined);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [otherMedia, setOtherMedia] = useState('');
  const [fromName, setFromName] = useState('');
  const [fromRole, setFromRole] = useState('');
  const [toName, setToName] = useState('');
  const [toRole, setToRole] = useState('');
  const [place, setPlace] = useState('');
  const [seal, setSeal] = useState<Seal>('');
  const [sealNumber, setSealNumber] = useState('');
  const [notes, setNotes] = useState('');
  const [receiver, setReceiver] = useState<SignAs | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [recorded, setRecorded] = useState<{ seq: number; bundle: string; arrival: boolean } | null>(null);
  const ids = useId();

  // State follows what changed while rendering (React's "adjust state on a change"), so no frame shows the old values.
  // The person at the keyboard usually hands over or receives; start with them as "From".
  const [seenOperator, setSeenOperator] = useState<typeof operator>(undefined);
  if (operator !== seenOperator) {
    setSeenOperator(operator);
    if (operator && !fromName) {
      setFromName(operator.name);
      setFromRole(operator.role ?? '');
    }
  }
  // ?bundle= picks the bundle (once the list is here, so a prefix resolves).
  const [seenQuery, setSeenQuery] = useState<{ bundles: typeof bundles; wanted: string } | null>(null);
  if (bundles && (seenQuery?.bundles !== bundles || seenQuery.wanted !== wanted)) {
    setSeenQuery({ bundles, wanted });
    const match = matchBundle(bundles, wanted) ?? fullDigest(wanted);
    if (match) setBundle(match);
    else if (!bundle && !wanted && found?.total === 1) setBundle(bundles[0]!.bundle);
  }
  // A new bundle: its media start unticked.
  const [seenBundle, setSeenBundle] = useState(bundle);
  if (bundle !== seenBundle) {
    setSeenBundle(bundle);
    setPicked(new Set());
    setRecorded(null);
  }
  function chooseBundle(digest: string) {
    setBundle(digest);
    replaceQuery({ bundle: digest });
  }
  const media = useMemo(() => [...new Set([...picked, ...typedMedia(otherMedia)])], [picked, otherMedia]);
  const knownSeals = (report?.media ?? []).filter((m) => m.seal && (picked.size === 0 || picked.has(m.id)));
  const missing = handoffProblem({ bundle, fromName, toName, place, seal, notes }) ?? signatureProblem(receiver, 'receiver');
  function signingReceiver(value: SignAs | null) {
    setReceiver(value);
    if (value?.name) setToName(value.name);
  }
  async function record() {
    if (missing) return;
    setBusy(true);
    setError(null);
    setRecorded(null);
    try {
      const result = await ferry().call('custody.handoff', {
        bundle,
        from: { name: fromName.trim(), ...(fromRole.trim() ? { role: fromRole.trim() } : {}) },
        to: { name: toName.trim(), ...(toRole.trim() ? { role: toRole.trim() } : {}) },
        place: place.trim(),
        sealIntact: seal === 'yes',
        ...(sealNumber.trim() ? { seal: sealNumber.trim() } : {}),
        media,
        notes: notes.trim(),
        ...(receiver ? { acceptedBy: receiver } : {}),
      });
      setRecorded(result);
      setReceiver(null);
      // The next handoff usually starts where this one ended: the receiver hands on.
      setFromName(toName.trim());
      setFromRole(toRole.trim());
      setToName('');
      setToRole('');
      setSeal('');
      setNotes('');
      reload();
      serverStateChanged();
    } catch (err) {
      setError(err);
      setReceiver((r) => (r ? { ...r, passphrase: '' } : r));
    } finally {
      setBusy(false);
    }
  }

  const unknownWanted = bundles && wanted && !matchBundle(bundles, wanted) && !fullDigest(wanted) ? wanted : null;
  // A full digest this ledger has no line of: the media arrive at a gate before the bundle is imported.
  const arriving = reportError != null && toErrorEnvelope(reportError).code === 'NOT_FOUND';

  return (
    <>
      <PageHeading
        title="Handoff"
        lead="Record each time the media change hands on the way across: who handed them to whom, where, and whether the seal was intact. Each handoff is a ledger event, on either side."
      />

      <HandoffNotices bundlesError={bundlesError} reloadBundles={reloadBundles} unknownWanted={unknownWanted} noBundles={!wanted && found?.total === 0} />

      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 3fr) minmax(0, 2fr)' }, gap: 3, alignItems: 'start' }}>
        <Section title="Record a handoff">
          {bundlesLoading && !bundles && <LinearProgress aria-label="Loading the bundles" sx={{ mb: 2 }} />}
          <Stack
            component="form"
            spacing={2.5}
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void record();
            }}
          >
            <BundlePicker label="Bundle" value={bundle} onChange={chooseBundle} required disabled={busy} arrival />
            {bundle && (
              <Typography variant="body2" color="text.secondary" sx={{ mt: -1.5 }}>
                <Digest value={bundle} label="bundle digest" />
                {!arriving && (
                  <>
                    {' '}
                    · <Link href={hrefs.bundle(bundle)}>Open chain of custody</Link>
                  </>
                )}
              </Typography>
            )}
            {arriving ? (
              <Alert severity="info">
                This ledger has no record of this bundle yet. The handoff is recorded as the media's arrival and joins the bundle's chain of custody when it is
                imported. Check the digest against the transfer form.
              </Alert>
            ) : (
              reportError != null && <ErrorAlert error={reportError} title="Cannot read this bundle's media and earlier handoffs" />
            )}

            <FormControl component="fieldset" variant="standard">
              <FormLabel component="legend" sx={{ color: 'text.primary', fontWeight: 600, mb: 0.5 }}>
                Media handed over
              </FormLabel>
              {report && report.media.length > 0 ? (
                <FormGroup>
                  {report.media.map((m) => (
                    <FormControlLabel
                      key={m.id}
                      control={
                        <Checkbox
                          checked={picked.has(m.id)}
                          onChange={(e) =>
                            setPicked((p) => {
                              const next = new Set(p);
                              if (e.target.checked) next.add(m.id);
                              else next.delete(m.id);
                              return next;
                            })
                          }
                        />
                      }
                      label={
                        <>
                          {m.id}
                          <Typography component="span" variant="body2" color="text.secondary">
                            {[m.label, m.seal ? `seal ${m.seal}` : null, m.disposition ? m.disposition : null].filter(Boolean).map((t) => ` · ${t}`)}
                          </Typography>
                        </>
                      }
                      disabled={busy}
                    />
                  ))}
                </FormGroup>
              ) : (
                <Typography variant="body2" color="text.secondary">
                  {report || arriving
                    ? 'No media recorded for this bundle yet: type their serial numbers or asset tags below.'
                    : 'Choose the bundle to see its media.'}
                </Typography>
              )}
              <TextField
                label={report && report.media.length > 0 ? 'Other media IDs' : 'Media IDs'}
                value={otherMedia}
                onChange={(e) => setOtherMedia(e.target.value)}
                helperText="Serial numbers or asset tags, separated by commas"
                disabled={busy}
                sx={{ mt: 1 }}
              />
            </FormControl>

            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField
                label="From (name)"
                value={fromName}
                onChange={(e) => setFromName(e.target.value)}
                required
                fullWidth
                disabled={busy}
                helperText="Who handed the media over"
              />
              <TextField
                label="From (role)"
                value={fromRole}
                onChange={(e) => setFromRole(e.target.value)}
                fullWidth
                disabled={busy}
                helperText="e.g. Security officer"
              />
            </Stack>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField
                label="To (name)"
                value={toName}
                onChange={(e) => setToName(e.target.value)}
                required
                fullWidth
                disabled={busy}
                helperText="Who received them"
              />
              <TextField label="To (role)" value={toRole} onChange={(e) => setToRole(e.target.value)} fullWidth disabled={busy} helperText="e.g. Courier" />
            </Stack>
            <OptionalSignature
              value={receiver}
              onChange={signingReceiver}
              offer="The receiver signs for the media with their passphrase"
              label="Receiver"
              disabled={busy}
            />
            <TextField
              label="Place"
              value={place}
              onChange={(e) => setPlace(e.target.value)}
              required
              disabled={busy}
              helperText="e.g. Gate 3, building B reception"
            />

            <FormControl required>
              <FormLabel id={`${ids}-seal`} sx={{ color: 'text.primary', fontWeight: 600 }}>
                Seal intact
              </FormLabel>
              <RadioGroup row aria-labelledby={`${ids}-seal`} value={seal} onChange={(e) => setSeal(e.target.value as Seal)}>
                <FormControlLabel value="yes" control={<Radio />} label="Yes" disabled={busy} />
                <FormControlLabel value="no" control={<Radio />} label="No" disabled={busy} />
              </RadioGroup>
            </FormControl>
            {seal === 'no' && (
              <Alert severity="warning">
                <AlertTitle>A broken seal is flagged</AlertTitle>
                This handoff is recorded with its seal not intact and shows as failed in the bundle's chain of custody. In Notes, write down what you saw: the
                seal's state and number, the packaging, who was present. Verify the media again before importing.
              </Alert>
            )}
            <TextField
              label="Seal number"
              value={sealNumber}
              onChange={(e) => setSealNumber(e.target.value)}
              disabled={busy}
              helperText={
                knownSeals.length > 0 ? `Recorded: ${knownSeals.map((m) => `${m.seal} (${m.id})`).join(', ')}` : 'The number on the tamper-evident seal, if any'
              }
            />
            <TextField
              label="Notes"
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              multiline
              minRows={2}
              maxRows={8}
              required={seal === 'no'}
              disabled={busy}
              slotProps={{ htmlInput: { maxLength: 2000 } }}
            />

            {error != null && (
              <ErrorAlert error={error} title="The handoff was not recorded">
                <Box sx={{ mt: 0.5 }}>Check the fields above, then record again.</Box>
              </ErrorAlert>
            )}
            {recorded && (
              <Alert severity="success" role="status">
                Recorded as ledger line {recorded.seq}
                {recorded.arrival ? ": the media's arrival, before this ledger has any other record of the bundle" : ''}.
              </Alert>
            )}
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
              <Button type="submit" variant="contained" startIcon={<HandshakeOutlinedIcon />} disabled={Boolean(missing) || busy}>
                {busy ? 'Recording…' : 'Record handoff'}
              </Button>
              {missing && !busy && (
                <Typography variant="body2" color="text.secondary">
                  {missing}
                </Typography>
              )}
            </Stack>
          </Stack>
        </Section>

        <EarlierHandoffs bundle={bundle} report={report} loading={reportLoading} />
      </Box>
    </>
  );
}
