// Express 4 installed under an npm alias; its API is what @types/express describes.
declare module 'express4' {
  import express from 'express'
  export default express
}
