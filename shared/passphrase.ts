/** The shortest passphrase a personal key is sealed with: the engine refuses shorter, the wizard says so as it is typed. */
export const MIN_PASSPHRASE = 8;
