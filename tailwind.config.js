// Tailwind scans the templ sources and the Go they generate (class names
// live in both), plus our own script, which sets data attributes only.
const colors = require('tailwindcss/colors')

/** @type {import('tailwindcss').Config} */
module.exports = {
  content: ['./views/**/*.templ', './views/**/*.go', './static/js/app.js'],
  theme: {
    extend: {
      colors: {
        // The one accent colour. Change it here and rebuild.
        accent: colors.indigo,
      },
      maxWidth: {
        bubble: '36rem',
      },
    },
  },
  plugins: [require('@tailwindcss/forms')],
}
