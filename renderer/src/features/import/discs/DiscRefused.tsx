import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useState } from 'react';
import type { ErrorCode, ErrorEnvelope } from '../../../../../shared/errors.js';
import { Digest } from '../../../components/Digest';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { TrustKeyDialog } from '../../../domain/keys/TrustKeyDialog';
import { REFUSAL_CODES } from '../importStore';

const ADVICE: Partial<Record<ErrorCode, string>> = {
  INTEGRITY: 'Volumes this disc gave before the damaged one stay staged. Go on with the other discs, and bring the damaged volume again on another copy.',
  SIGNATURE: 'Nothing on this disc can be trusted. Insert another copy of it, then Copy this disc.',
  UNTRUSTED:
    'Compare this fingerprint with the one the exporting site gave you (on the transfer form, or by phone). When they match, trust their key: this disc is copied again right after.',
};

const GENERAL = 'Check the disc and the staging folder, then Copy this disc again, or go on with another disc.';

/** A disc Ferry did not copy: the engine's reason, what to do, and for an unknown signer the way to trust it. */
export function DiscRefused({ error, onTrusted }: { error: ErrorEnvelope; onTrusted: () => void }) {
  const [trusting, setTrusting] = useState(false);
  // A revoked key is not trusted again from here: its refusal says who revoked it, when and why.
  const fingerprint =
    error.code === 'UNTRUSTED' && !error.details?.revoked && typeof error.details?.fingerprint === 'string' ? error.details.fingerprint : null;
  // The engine's words for an unknown signer name the command line; the wizard says it in its own.
  const shown = fingerprint ? { ...error, message: 'Its signature is valid, but it was made with a key this site has not pinned.' } : error;
  return (
    <>
      <ErrorAlert error={shown} title={REFUSAL_CODES.has(error.code) ? 'This disc was refused' : 'This disc could not be copied'}>
        {fingerprint && (
          <Box sx={{ my: 1, p: 1, bgcolor: 'background.paper', borderRadius: 1 }}>
            <Digest value={fingerprint} label="fingerprint to compare" size="body" />
          </Box>
        )}
        {/* A revoked key's refusal already says what to do: ask the exporting site which key it signs with now. */}
        {!(error.code === 'UNTRUSTED' && !fingerprint) && <Box sx={{ mt: 0.5 }}>{ADVICE[error.code] ?? GENERAL}</Box>}
        {fingerprint && (
          <Button variant="contained" color="warning" sx={{ mt: 1.5 }} onClick={() => setTrusting(true)}>
            Trust this key…
          </Button>
        )}
      </ErrorAlert>
      {fingerprint && (
        <TrustKeyDialog
          open={trusting}
          expectedFingerprint={fingerprint}
          onClose={() => setTrusting(false)}
          onTrusted={() => {
            setTrusting(false);
            onTrusted();
          }}
        />
      )}
    </>
  );
}
