/* The page frame (observatory/components/shell.py): the navbar's toggler on narrow screens.
 * A clientside callback, so opening the menu never calls the server; following a link closes it. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  shell: {
    toggle: function (nClicks, pathname, isOpen) {
      const triggered = (window.dash_clientside.callback_context.triggered || [])[0];
      if (!triggered || triggered.prop_id !== "nav-toggler.n_clicks") {
        return false;  // a navigation: close the menu
      }
      return !isOpen;
    },
  },
});
