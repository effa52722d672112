import { Section } from '../../../components/Section';
import { KitChooser } from '../KitChooser';
import { useLedgerView } from '../ledgerStore';

/**
 * The other site's auditor's kit, the same one the Flags tab compares with: its lines about this
 * bundle (read-backs, seals, handoffs, dispositions) join the chain of custody, and settle the flags they answer.
 */
export function OtherSiteKit({ joined }: { joined: number }) {
  const withKit = useLedgerView((s) => s.withKit);
  return (
    <Section title="The other site's story">
      <KitChooser
        label="Other site's auditor's kit"
        helperText={
          withKit
            ? `${joined} of its lines are about this bundle and are shown in the chain of custody below.`
            : "Optional: with the other site's kit, its read-backs, seals, handoffs and dispositions of this bundle join the chain of custody. Its chain is checked first."
        }
      />
    </Section>
  );
}
