"""The partner systems' pages and routes on the web side: the body of a partner's request, the
« à rapprocher » queue, the incidents of outbound calls and the generated documentation. The
events themselves (reception, recording, routing, delivery) are in partenaires/."""
