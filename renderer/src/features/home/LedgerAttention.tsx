import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { AttentionItem } from '../../../../shared/rpc.js';
import { DateTime } from '../../components/DateTime';
import { ErrorAlert } from '../../components/ErrorAlert';
import { hrefs } from '../../core/router';
import { serverStateChanged } from '../../core/serverState';
import { ferry } from '../../client';
import { shortDigest } from '../../lib/format';

interface BundleGroup {
  bundle: string;
  name: string;
  items: AttentionItem[];
}

function byBundle(items: AttentionItem[]): BundleGroup[] {
  const groups = new Map<string, BundleGroup>();
  for (const item of items) {
    if (!groups.has(item.bundle)) groups.set(item.bundle, { bundle: item.bundle, name: item.bundleName ?? shortDigest(item.bundle), items: [] });
    groups.get(item.bundle)!.items.push(item);
  }
  return [...groups.values()];
}

const ACTION: Record<AttentionItem['kind'], string> = {
  'media-failed': 'Read back with a failure',
  'disposition-due': 'Disposition due',
};

/** The ledger's items on Home, one card per bundle: media that read back wrong, media whose disposition is due. */
export function LedgerAttention({ items, total, onChanged }: { items: AttentionItem[]; total: number; onChanged: () => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function dismiss(item: AttentionItem) {
    const key = `${item.kind} ${item.bundle} ${item.media}`;
    setBusy(key);
    setError(null);
    try {
      await ferry().call('ledger.dismissAttention', { kind: item.kind, bundle: item.bundle, media: item.media, title: item.message });
      onChanged();
      serverStateChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  if (items.length === 0) return null;
  return (
    <>
      {error != null && <ErrorAlert error={error} title="Cannot record the dismissal" />}
      <List disablePadding aria-label="Media needing attention">
        {byBundle(items).map((group) => (
          <ListItem key={group.bundle} disableGutters divider sx={{ display: 'block', py: 1.5 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline' }}>
              <Typography sx={{ fontWeight: 600, flex: 1, minWidth: 0, overflowWrap: 'anywhere' }}>{group.name}</Typography>
              <Link href={hrefs.bundle(group.bundle)} aria-label={`Open bundle ${group.name}`}>
                Open bundle
              </Link>
            </Stack>
            <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5 }}>
              {group.items.map((item) => (
                <Box component="li" key={`${item.kind} ${item.media}`} sx={{ py: 0.5 }}>
                  <Typography variant="body2">
                    <strong>{ACTION[item.kind]}</strong>: {item.media} · noted <DateTime iso={item.time} />
                  </Typography>
                  <Typography variant="body2" color="text.secondary">
                    {item.message}
                  </Typography>
                  <Button
                    size="small"
                    disabled={busy !== null}
                    onClick={() => void dismiss(item)}
                    aria-label={`Dismiss ${ACTION[item.kind].toLowerCase()} for medium ${item.media} of ${group.name}`}
                  >
                    Dismiss
                  </Button>
                </Box>
              ))}
            </Box>
          </ListItem>
        ))}
      </List>
      {total > items.length && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {(total - items.length).toLocaleString()} more on the <Link href={hrefs.ledger()}>Ledger</Link>&apos;s Flags tab.
        </Typography>
      )}
    </>
  );
}
