//! Behaviour of the generated ECS crate (filled in below).
