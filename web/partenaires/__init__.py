"""Partner systems on the platform's side: signed events in, routing to the parcours, the
« à rapprocher » queue, and the incidents of outbound calls."""
