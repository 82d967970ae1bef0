"""Function views: check access, call a selector or service, render a page or its htmx fragment."""
