// placeholder, replaced by the CVision work
