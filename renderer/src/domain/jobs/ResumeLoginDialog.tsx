import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import { useResumeLogin } from './resumeLogin';

/**
 * Asks for the registry's username and password when a paused push resumes after Ferry restarted:
 * the password lived only in the memory of the Ferry that stopped. What is typed goes to this one
 * job, in memory; it is never written with the job.
 */
export function ResumeLoginDialog() {
  const asking = useResumeLogin((s) => s.asking);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const close = (login: { username: string; password: string } | null) => {
    setPassword('');
    asking?.answer(login);
  };
  return (
    <Dialog open={asking !== null} onClose={() => close(null)} aria-labelledby="resume-login-title" maxWidth="xs" fullWidth>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (username.trim() && password) close({ username: username.trim(), password });
        }}
      >
        <DialogTitle id="resume-login-title">Sign in to {asking?.registry} to resume</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            Ferry restarted since this push began, and it never keeps a registry password. Enter it to go on from where the push stopped; it is used for this
            push only.
          </DialogContentText>
          <Stack spacing={2}>
            <TextField label="Username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus required />
            <TextField
              label="Password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              required
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => close(null)}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={!username.trim() || !password}>
            Resume
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
