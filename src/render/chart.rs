//! `run --chart`: each site's cumulative cash in the terminal.
