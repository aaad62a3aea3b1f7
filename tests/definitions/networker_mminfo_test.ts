import { goldenTest } from "./golden.ts";

goldenTest("networker-mminfo");
