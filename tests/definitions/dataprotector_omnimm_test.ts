import { goldenTest } from "./golden.ts";

goldenTest("dataprotector-omnimm");
