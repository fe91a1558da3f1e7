//! lina_client (in progress)
