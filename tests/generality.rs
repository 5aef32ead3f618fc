//! Generality (filled in below).
