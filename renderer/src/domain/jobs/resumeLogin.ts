import { create } from 'zustand';
import type { RegistryLogin } from '../../../../shared/contract/common.js';

interface ResumeLoginState {
  /** The registry a paused push needs a password for, while the dialog asks. */
  asking: { registry: string; answer: (login: RegistryLogin | null) => void } | null;
}

/** The one dialog that asks for a registry password when a push resumes after a restart (ResumeLoginDialog). */
export const useResumeLogin = create<ResumeLoginState>(() => ({ asking: null }));

/** Opens the dialog; resolves with what the person typed, or null when they cancelled. */
export function askForLogin(registry: string): Promise<RegistryLogin | null> {
  return new Promise((resolve) => {
    useResumeLogin.setState({
      asking: {
        registry,
        answer: (login) => {
          useResumeLogin.setState({ asking: null });
          resolve(login);
        },
      },
    });
  });
}
