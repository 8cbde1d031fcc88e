/** bottleneck/light is bottleneck without its Redis clustering code; same API, no typings shipped. */
declare module 'bottleneck/light' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
