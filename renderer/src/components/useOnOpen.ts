import { useState } from 'react';

/**
 * Calls `reset` while rendering when `open` turns true (React's "adjusting state when a prop
 * changes"), so a dialog opened again starts fresh without an effect and no frame shows old values.
 */
export function useOnOpen(open: boolean, reset: () => void): void {
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) reset();
  }
}
