import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** A titled part of the settings form. */
export function Section(props: { title: string; children: ReactNode }) {
  return (
    <Box component="section" mt={4}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}
